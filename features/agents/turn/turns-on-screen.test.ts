import { describe, expect, it } from "vitest";
import { buildAgentEvent, buildClientRequest } from "@/lib/shared/agent-turn/build";
import { parseAgentEvent, parseClientRequest } from "@/lib/shared/agent-turn/parse";
import { agentTurnReducer, type TurnAction } from "@/features/agents/turn/thread-store";
import { EMPTY_AGENT_STATE, type AgentTurnState } from "@/features/agents/turn/turn-state";
import { turnsOnScreen } from "@/features/agents/turn/turns-on-screen";

const T = ".threads/assistant/owner/thread-1";

/** Through the real parsers, as the page feeds the reducer. */
const event = (raw: unknown): TurnAction => ({ type: "event", event: parseAgentEvent(raw)! });
function open(id: string, sinceTurn?: string): TurnAction {
  const parsed = parseClientRequest(
    buildClientRequest("meshagent.agent.thread.open", {
      thread_id: T,
      load: true,
      since_turn: sinceTurn,
      message_id: id,
    }),
  )!;
  return { type: "request", request: { ...parsed, message_id: id } };
}
const loaded = (id: string) =>
  event(buildAgentEvent("meshagent.agent.thread.loaded", { thread_id: T, source_message_id: id }));
const answer = (turn: string, text: string) => [
  event(
    buildAgentEvent("meshagent.agent.text_content.delta", { thread_id: T, turn_id: turn, item_id: `${turn}-m`, text }),
  ),
  event(buildAgentEvent("meshagent.agent.turn.ended", { thread_id: T, turn_id: turn })),
];
const run = (actions: TurnAction[], state: AgentTurnState = EMPTY_AGENT_STATE) =>
  actions.reduce(agentTurnReducer, state);
const shown = (state: AgentTurnState) => turnsOnScreen(state.open[T] ?? null).map((turn) => turn.turnId);

describe("turnsOnScreen", () => {
  it("holds a replayed history back until thread.loaded, then shows all of it", () => {
    const replaying = run([open("o1"), ...answer("t1", "one"), ...answer("t2", "two")]);
    expect(replaying.open[T].turns).toHaveLength(2);
    expect(shown(replaying)).toEqual([]);
    expect(shown(run([loaded("o1")], replaying))).toEqual(["t1", "t2"]);
  });

  it("keeps the turns a reopen with since_turn does not replay on screen, and adds the missed ones when loaded", () => {
    const before = run([open("o1"), ...answer("t1", "one"), loaded("o1")]);
    const reopening = run([open("o2", "t1"), ...answer("t2", "two")], before);
    expect(shown(reopening)).toEqual(["t1"]);
    expect(shown(run([loaded("o2")], reopening))).toEqual(["t1", "t2"]);
  });

  it("shows a thread that is not loading as it is, and nothing for no thread", () => {
    const ready = run([open("o1"), ...answer("t1", "one"), loaded("o1"), ...answer("t2", "live")]);
    expect(shown(ready)).toEqual(["t1", "t2"]);
    expect(turnsOnScreen(null)).toEqual([]);
  });
});
