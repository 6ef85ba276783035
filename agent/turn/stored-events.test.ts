import { describe, expect, it } from "vitest";
import { agentTurnReducer } from "@/features/agents/turn/thread-store";
import { EMPTY_AGENT_STATE, type AgentTurnState } from "@/features/agents/turn/turn-state";
import { buildAgentEvent, buildClientRequest } from "@/lib/shared/agent-turn/build";
import type { AgentEvent } from "@/lib/shared/agent-turn/messages";
import { compactStoredEvents, nextTurnStart } from "./stored-events";

const THREAD = ".threads/assistant/owner/t1";
const ids = (turn_id: string) => ({ thread_id: THREAD, turn_id });

/** A finished turn as the demo agent emits it live: acceptance, start, commentary, a streamed answer, usage, end. */
const turnOf = (event: AgentEvent) => ("turn_id" in event ? event.turn_id : undefined);

function liveTurn(turnId: string, question: string, answer: string[], usage: number): AgentEvent[] {
  const input = [{ type: "text" as const, text: question }];
  const t = ids(turnId);
  const note = { ...t, item_id: `note_${turnId}`, phase: "commentary" as const };
  const text = { ...t, item_id: `msg_${turnId}`, phase: "final_answer" as const };
  return [
    buildAgentEvent("meshagent.agent.turn.start.accepted", {
      ...t,
      source_message_id: `c_${turnId}`,
      content: input,
      sender_name: "alice",
    }),
    buildAgentEvent("meshagent.agent.turn.started", {
      ...t,
      source_message_id: `c_${turnId}`,
      content: input,
      sender_name: "alice",
    }),
    buildAgentEvent("meshagent.agent.text_content.started", note),
    buildAgentEvent("meshagent.agent.text_content.delta", { ...t, item_id: note.item_id, text: "Looking." }),
    buildAgentEvent("meshagent.agent.text_content.ended", note),
    buildAgentEvent("meshagent.agent.reasoning_content.started", { ...t, item_id: `r_${turnId}` }),
    buildAgentEvent("meshagent.agent.reasoning_content.delta", { ...t, item_id: `r_${turnId}`, text: "hm" }),
    buildAgentEvent("meshagent.agent.reasoning_content.ended", { ...t, item_id: `r_${turnId}` }),
    buildAgentEvent("meshagent.agent.text_content.started", text),
    ...answer.map((piece) =>
      buildAgentEvent("meshagent.agent.text_content.delta", { ...t, item_id: text.item_id, text: piece }),
    ),
    buildAgentEvent("meshagent.agent.text_content.ended", text),
    buildAgentEvent("meshagent.agent.usage.updated", {
      ...t,
      usage: { output_tokens: usage },
      context_window: { used_tokens: usage },
    }),
    buildAgentEvent("meshagent.agent.turn.ended", t),
  ];
}

/** What the Agents tab shows after replaying `events` into a fresh page (the browser's own reducer). */
function replayed(events: AgentEvent[]): AgentTurnState["open"][string] {
  const open = buildClientRequest("meshagent.agent.thread.open", { thread_id: THREAD, load: true });
  let state = agentTurnReducer(EMPTY_AGENT_STATE, { type: "request", request: open });
  for (const event of events) state = agentTurnReducer(state, { type: "event", event });
  const loaded = buildAgentEvent("meshagent.agent.thread.loaded", {
    thread_id: THREAD,
    source_message_id: open.message_id,
  });
  state = agentTurnReducer(state, { type: "event", event: loaded });
  return state.open[THREAD];
}

describe("compactStoredEvents", () => {
  const live = [...liveTurn("t1", "first", ["Hel", "lo"], 3), ...liveTurn("t2", "second", ["a", "b", "c"], 7)];

  it("stores a finished turn as turn.started, one delta per item and turn.ended, with the latest usage only", () => {
    const stored = compactStoredEvents(live);
    expect(stored.filter((e) => turnOf(e) === "t1").map((e) => e.type.replace("meshagent.agent.", ""))).toEqual([
      "turn.started",
      "text_content.delta",
      "reasoning_content.delta",
      "text_content.delta",
      "turn.ended",
    ]);
    expect(stored.filter((e) => e.type === "meshagent.agent.usage.updated")).toEqual([live.at(-2)]);
    const answer = stored.find((e) => e.type === "meshagent.agent.text_content.delta" && e.item_id === "msg_t2");
    expect(answer).toMatchObject({ text: "abc", phase: "final_answer" });
    expect(compactStoredEvents(stored)).toEqual(stored);
  });

  it("replays into the same thread on screen as the events did live", () => {
    const before = replayed(live);
    const after = replayed(compactStoredEvents(live));
    expect(after.turns).toEqual(before.turns);
    expect(after.usage).toEqual(before.usage);
    expect(
      after.turns.map((turn) => turn.items.map((item) => [item.kind, item.kind === "tool" ? item.state : item.done])),
    ).toEqual([
      [
        ["text", true],
        ["reasoning", true],
        ["text", true],
      ],
      [
        ["text", true],
        ["reasoning", true],
        ["text", true],
      ],
    ]);
  });

  it("keeps a turn that has not ended exactly as it came", () => {
    const running = liveTurn("t3", "third", ["x", "y"], 1).slice(0, -1);
    const stored = compactStoredEvents([...live, ...running]);
    expect(stored.slice(-running.length)).toEqual(running);
  });

  it("finds where the second turn begins, in the live and in the compact form", () => {
    expect(nextTurnStart(live)).toBe(live.findIndex((e) => turnOf(e) === "t2"));
    const stored = compactStoredEvents(live);
    expect(nextTurnStart(stored)).toBe(stored.findIndex((e) => turnOf(e) === "t2"));
    expect(nextTurnStart(liveTurn("t1", "only", ["a"], 1))).toBe(-1);
  });
});
