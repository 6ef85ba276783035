/** Shown while no agent is in the room: how to bring one in. */
export function AgentsEmpty() {
  const code = "rounded bg-zinc-100 px-1 font-mono text-xs dark:bg-zinc-800";
  return (
    <div data-testid="agents-empty" className="space-y-2 p-4 text-sm text-zinc-700 dark:text-zinc-300">
      <p className="font-medium text-zinc-900 dark:text-zinc-100">No agent is in this room yet.</p>
      <p>
        Locally, <code className={code}>npm run dev</code> starts the demo agent with the room server, and{" "}
        <code className={code}>npm run agent</code> starts it alone (<code className={code}>AGENT_ROOMS</code> picks its
        rooms).
      </p>
      <p>
        On MeshAgent, add an agent with{" "}
        <code className={code}>
          meshagent process join --room &lt;room&gt; --agent-name &lt;name&gt; --channel chat
        </code>{" "}
        (or the legacy <code className={code}>meshagent chatbot join</code>). Any participant with the role{" "}
        <em>agent</em> that speaks MeshAgent&apos;s turn protocol or the legacy chatbot contract shows up here.
      </p>
    </div>
  );
}
