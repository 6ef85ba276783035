"use client";

import { useEffect } from "react";
import { useStore } from "zustand";
import { AgentThreadView } from "@/features/agents/agent-thread-view";
import { AgentsEmpty } from "@/features/agents/agents-empty";
import { TurnAgentView } from "@/features/agents/turn/turn-agent-view";
import { useClientTools } from "@/features/agents/turn/use-client-tools";
import { useTurnEvents, useTurnStore } from "@/features/agents/turn/use-turn-agent";
import { useAgents, type RoomAgent } from "@/features/agents/use-agents";
import { useAgentReplies, useAgentThreadsStore } from "@/features/agents/use-agent-thread";
import { cn } from "@/lib/cn";

/** The Agents tab: the agents in the room, and your thread with the one you pick. */
export function AgentsPanel() {
  const agents = useAgents();
  useAgentReplies(agents);
  useTurnEvents(agents);
  useClientTools();
  const knownTurnAgents = useStore(useTurnStore(), (state) => state.agents);
  const store = useAgentThreadsStore();
  const selected = useStore(store, (state) => state.selected);
  const select = useStore(store, (state) => state.select);
  const current = selected ?? agents[0]?.name ?? null;

  // The thread shown stays shown when its agent leaves (its history and a note remain).
  useEffect(() => {
    if (selected === null && current !== null) select(current);
  }, [selected, current, select]);

  const names =
    current && !agents.some((agent) => agent.name === current)
      ? [...agents.map((a) => a.name), current]
      : agents.map((a) => a.name);

  return (
    <section
      aria-labelledby="agents-heading"
      className="rounded-xl border border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900"
    >
      <h2 id="agents-heading" className="border-b border-zinc-200 px-4 py-3 text-sm font-semibold dark:border-zinc-800">
        Agents
      </h2>
      {current === null ? (
        <AgentsEmpty />
      ) : (
        <div className="grid md:grid-cols-[11rem_1fr]">
          <ul
            data-testid="agent-list"
            className="space-y-1 border-b border-zinc-200 p-2 md:border-b-0 md:border-r dark:border-zinc-800"
          >
            {names.map((name) => {
              const present = agents.some((agent) => agent.name === name);
              return (
                <li key={name}>
                  <button
                    type="button"
                    data-testid="agent-item"
                    aria-pressed={name === current}
                    onClick={() => select(name)}
                    className={cn(
                      "flex w-full min-w-0 items-center gap-2 rounded-md px-2 py-1.5 text-left text-sm focus-visible:outline-2 focus-visible:outline-blue-500",
                      name === current
                        ? "bg-zinc-100 font-medium dark:bg-zinc-800"
                        : "hover:bg-zinc-100 dark:hover:bg-zinc-800",
                    )}
                  >
                    <span
                      className={cn("size-2 shrink-0 rounded-full", present ? "bg-emerald-500" : "bg-zinc-400")}
                      aria-hidden
                    />
                    <span className="truncate">{name}</span>
                    {present ? null : <span className="sr-only">(not in the room)</span>}
                  </button>
                </li>
              );
            })}
          </ul>
          <CurrentAgent
            key={current}
            name={current}
            agent={agents.find((agent) => agent.name === current) ?? null}
            knownTurnAgent={current in knownTurnAgents}
          />
        </div>
      )}
    </section>
  );
}

/** The thread view for the agent's protocol (an agent that left keeps the view it had). */
function CurrentAgent({
  name,
  agent,
  knownTurnAgent,
}: {
  name: string;
  agent: RoomAgent | null;
  knownTurnAgent: boolean;
}) {
  const turn = agent ? agent.kind.protocol === "turn" : knownTurnAgent;
  return turn ? <TurnAgentView name={name} agent={agent} /> : <AgentThreadView name={name} agent={agent} />;
}
