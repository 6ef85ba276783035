// The long markdown answer of the offline `markdown` command: headings, a
// list, a table, code and a link, enough to exercise the tab's streamed
// markdown without a model.

export const SAMPLE_MARKDOWN = `# How the demo agent streams an answer

This answer arrives in small pieces, the way a model's answer does. Each piece is one
\`meshagent.agent.text_content.delta\` event with the same \`item_id\`, and the tab joins
them in order. Nothing here needs a model: the offline agent types it out for you.

## What happens on the wire

1. The browser sends \`turn.start\` with a \`message_id\` it chose.
2. The agent answers \`turn.start.accepted\` with that id as \`source_message_id\`.
3. When the turn runs: \`thread.status\` ("Thinking"), then \`turn.started\`.
4. The answer streams as \`text_content.started\`, many \`text_content.delta\`, \`text_content.ended\`.
5. \`turn.ended\` closes the turn, and an empty \`thread.status\` clears the status line.

## The events at a glance

| event | carries | the tab shows |
| --- | --- | --- |
| \`turn.start.accepted\` | your message, \`turn_id\` | your message, queued or running |
| \`thread.status\` | status text, mode, \`started_at\` | the status line and its timer |
| \`text_content.delta\` | a piece of text, \`item_id\`, \`phase\` | the answer growing |
| \`tool_call.log_delta\` | stdout and stderr lines | a tool's log |
| \`usage.updated\` | token counts | the usage footer |
| \`turn.ended\` | an error, if any | the end of the turn |

## A little code

\`\`\`ts
import { parseAgentEvent } from "@/lib/shared/agent-turn/parse";

// Every agent message is parsed at the edge; anything else is dropped.
export function onAgentMessage(raw: unknown) {
  const event = parseAgentEvent(raw);
  if (event?.type === "meshagent.agent.text_content.delta") {
    append(event.item_id, event.text);
  }
}
\`\`\`

\`\`\`python
# The same idea in MeshAgent's Python agents: one item, many deltas.
for delta in ["It is ", "11:00 ", "in Berlin."]:
    await publish(TextContentDelta(item_id="msg_1", text=delta))
\`\`\`

## Things worth knowing

- **Stop** sends \`turn.interrupt\` with the running turn's id; the agent answers
  \`turn.interrupt.accepted\`, \`turn.interrupted\` and a \`turn.ended\` whose error code is \`cancelled\`.
- What you type while the status mode is *steerable* **steers** the running turn instead of queueing a new one.
- Threads live in room storage under \`.threads/<agent>/\`, so they survive a reload and an agent restart.
- Agent text is untrusted: the tab renders markdown without raw HTML, and links open in a new tab.

> Tip: say \`help\` to see every offline command, or read the protocol in
> [MeshAgent's documentation](https://docs.meshagent.com/).

That is the whole answer. Thanks for reading it all the way to the end.
`;

/** Splits text into pieces of about `size` characters, at spaces where possible, like a model's deltas. */
export function pieces(text: string, size: number): string[] {
  const out: string[] = [];
  let rest = text;
  while (rest.length > size) {
    const space = rest.lastIndexOf(" ", size);
    const cut = space > size / 2 ? space + 1 : size;
    out.push(rest.slice(0, cut));
    rest = rest.slice(cut);
  }
  if (rest) out.push(rest);
  return out;
}
