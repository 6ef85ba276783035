import { describe, expect, it } from "vitest";
import { buildAgentEvent, buildClientRequest } from "@/lib/shared/agent-turn/build";
import { jsonLength } from "@/lib/shared/agent-turn/fields";
import { parseAgentEvent, parseClientRequest } from "@/lib/shared/agent-turn/parse";
import { agentTurnReducer, type TurnAction } from "@/features/agents/turn/thread-store";
import { createTurnStore } from "@/features/agents/turn/turn-store";
import {
  EMPTY_AGENT_STATE,
  TURN_STORE_LIMITS as LIMITS,
  type AgentTurnState,
  type Turn,
} from "@/features/agents/turn/turn-state";
import { chatAgents } from "@/features/agents/use-agents";
import type { RoomParticipant } from "@/lib/room/roster";
import { prng } from "@/tooling/testing/prng";

// What a hostile agent (or a confused one) can do to the page's turn store
// that the recorded exchange in thread-store.test.ts does not: fill memory
// through many small caps, collide keys the views render by, and speak under
// another agent's name. Raw payloads go through the real parsers, as on the page.

const T = "thread-1";

function event(raw: unknown): TurnAction[] {
  const parsed = parseAgentEvent(raw);
  return parsed ? [{ type: "event", event: parsed }] : [];
}
function request(raw: unknown): TurnAction[] {
  const parsed = parseClientRequest(raw);
  if (!parsed?.message_id) throw new Error(`not a request: ${JSON.stringify(raw)}`);
  return [{ type: "request", request: { ...parsed, message_id: parsed.message_id } }];
}
const run = (actions: TurnAction[], state: AgentTurnState = EMPTY_AGENT_STATE) =>
  actions.reduce(agentTurnReducer, state);
const opened = (id = T) => [
  ...request(buildClientRequest("meshagent.agent.thread.open", { thread_id: id, load: true, message_id: `o-${id}` })),
  ...event(buildAgentEvent("meshagent.agent.thread.loaded", { thread_id: id, source_message_id: `o-${id}` })),
];
const delta = (thread: string, turn: string, item: string, text: string) =>
  event(
    buildAgentEvent("meshagent.agent.text_content.delta", { thread_id: thread, turn_id: turn, item_id: item, text }),
  );

/** Characters in a turn, counted from scratch (the store keeps its count as it goes). */
function measured(turn: Turn): number {
  const input = (content: Turn["input"]) =>
    content.reduce((sum, item) => sum + (item.type === "text" ? item.text.length : item.url.length), 0);
  let size = input(turn.input) + turn.steers.reduce((sum, steer) => sum + input(steer), 0);
  for (const item of turn.items) {
    if (item.kind === "text" || item.kind === "reasoning") size += item.text.length;
    else if (item.kind === "file") size += item.url.length;
    else
      size +=
        item.toolkit.length +
        item.tool.length +
        item.args.length +
        (item.error?.length ?? 0) +
        item.logs.reduce((sum, line) => sum + line.text.length, 0) +
        (item.result ? jsonLength(item.result) : 0);
  }
  return size;
}

/** Every cap and invariant the views rely on, checked on one state. */
function expectWithinCaps(state: AgentTurnState) {
  const paths = state.list.threads.map((thread) => thread.path);
  expect(new Set(paths).size).toBe(paths.length);
  expect(paths.length).toBeLessThanOrEqual(LIMITS.listedThreads);
  expect(Object.keys(state.open).length).toBeLessThanOrEqual(LIMITS.openThreads);
  let total = 0;
  for (const thread of Object.values(state.open)) {
    const keys = thread.turns.map((turn) => turn.key);
    expect(new Set(keys).size, `turn keys in ${thread.id}: ${keys.join(",")}`).toBe(keys.length);
    expect(thread.turns.length).toBeLessThanOrEqual(LIMITS.turns);
    for (const turn of thread.turns) {
      const ids = turn.items.map((item) => item.id);
      expect(new Set(ids).size).toBe(ids.length);
      expect(turn.items.length).toBeLessThanOrEqual(LIMITS.items);
      expect(turn.chars).toBe(measured(turn));
      expect(turn.chars).toBeLessThanOrEqual(LIMITS.turnChars);
      total += turn.chars;
    }
  }
  expect(total).toBeLessThanOrEqual(LIMITS.agentChars);
}

describe("memory: an agent cannot grow the page past its character caps", () => {
  it("keeps one turn within its cap and marks it cut, while a later state change (ended) still lands", () => {
    let state = run(opened());
    const chunk = "y".repeat(60_000);
    for (let item = 0; item < 40; item++) state = run(delta(T, "t1", `i${item}`, chunk), state);
    const turn = state.open[T].turns[0];
    expect(turn.cut).toBe(true);
    expect(turn.chars).toBeLessThanOrEqual(LIMITS.turnChars);
    expect(turn.chars).toBeGreaterThan(LIMITS.turnChars - LIMITS.itemText);
    state = run(event(buildAgentEvent("meshagent.agent.turn.ended", { thread_id: T, turn_id: "t1" })), state);
    expect(state.open[T].turns[0].state).toBe("ended");
    expectWithinCaps(state);
  });

  it("holds all open threads of an agent to its cap: other threads close first, then the oldest turns go", () => {
    let state = run([...opened("a"), ...opened("b"), ...opened(T)]);
    state = run(delta("a", "ta", "x", "kept until the budget needs it"), state);
    const chunk = "z".repeat(40_000);
    // 300 turns x 12 items x 40,000 characters = 144 M characters offered.
    for (let turn = 0; turn < LIMITS.turns; turn++)
      for (let item = 0; item < 12; item++) state = run(delta(T, `t${turn}`, `i${item}`, chunk), state);
    expectWithinCaps(state);
    expect(Object.keys(state.open)).toEqual([T]);
    expect(state.openOrder).toEqual([T]);
    const turns = state.open[T].turns;
    expect(turns.at(-1)!.key).toBe(`t${LIMITS.turns - 1}`);
    expect(turns.length).toBeLessThan(LIMITS.turns);
  }, 30_000);

  it("counts what the agent puts in a turn's input and steers, not only its answer", () => {
    let state = run(opened());
    const content = Array.from({ length: 32 }, () => ({ type: "text" as const, text: "s".repeat(32_000) }));
    for (let turn = 0; turn < 40; turn++) {
      const fields = { thread_id: T, turn_id: `t${turn}`, content };
      state = run(event(buildAgentEvent("meshagent.agent.turn.started", fields)), state);
      for (let steer = 0; steer < 3; steer++)
        state = run(
          event(buildAgentEvent("meshagent.agent.turn.steered", { ...fields, message_id: `s${turn}-${steer}` })),
          state,
        );
    }
    expectWithinCaps(state);
    expect(state.open[T].turns.some((turn) => turn.cut)).toBe(true);
  });

  it("keeps a tool result over the cap as one it cannot show, and ends the call", () => {
    let state = run(opened());
    const ended = (item: string, json: unknown) =>
      event(
        buildAgentEvent("meshagent.agent.tool_call.ended", {
          thread_id: T,
          turn_id: "t1",
          item_id: item,
          toolkit: "tk",
          tool: "big",
          result: { type: "json", json },
        }),
      );
    state = run([...ended("big", { data: "j".repeat(200_000) }), ...ended("small", { ok: true })], state);
    const [big, small] = state.open[T].turns[0].items;
    expect(big).toMatchObject({ kind: "tool", state: "ended", result: { type: "unsupported" } });
    expect(small).toMatchObject({ kind: "tool", state: "ended", result: { type: "json", json: { ok: true } } });
    expectWithinCaps(state);
  });
});

describe("keys the views render by stay unique", () => {
  it("drops repeated paths in one thread.listed", () => {
    const listRequest = request(buildClientRequest("meshagent.agent.thread.list", { limit: 200, message_id: "l1" }));
    const entry = (path: string) => ({ path, name: path, created_at: "", modified_at: "" });
    const state = run([
      ...listRequest,
      ...event(
        buildAgentEvent("meshagent.agent.thread.listed", {
          source_message_id: "l1",
          threads: [entry("p1"), entry("p2"), entry("p1"), entry("p1"), entry("p3"), entry("p2")],
          total: 6,
          offset: 0,
          limit: 200,
        }),
      ),
    ]);
    expect(state.list.threads.map((thread) => thread.path)).toEqual(["p1", "p2", "p3"]);
  });

  it("never gives two turns one key: turn ids shaped like our local keys, or taken by another turn", () => {
    const start = (mid: string) =>
      request(
        buildClientRequest("meshagent.agent.turn.start", {
          thread_id: T,
          content: [{ type: "text", text: mid }],
          message_id: mid,
        }),
      );
    const started = (turn: string, source?: string) =>
      event(
        buildAgentEvent("meshagent.agent.turn.started", { thread_id: T, turn_id: turn, source_message_id: source }),
      );
    const accepted = (turn: string, source: string) =>
      event(
        buildAgentEvent("meshagent.agent.turn.start.accepted", {
          thread_id: T,
          turn_id: turn,
          source_message_id: source,
        }),
      );
    const state = run([
      ...opened(),
      ...start("m1"),
      ...start("m2"),
      // A turn id equal to our first turn's local key.
      ...started("local:m1"),
      ...delta(T, "local:m2", "i", "into our second turn's key"),
      // Another turn takes the id "t9"; then our turn m1 is said to be "t9" too, both ways.
      ...started("t9"),
      ...accepted("t9", "m1"),
      ...started("t9", "m2"),
    ]);
    expectWithinCaps(state);
    expect(state.open[T].turns.filter((turn) => turn.own)).toHaveLength(2);
  });
});

describe("seeded fuzz with the page's own requests in between", () => {
  it("never throws, keeps keys unique, counts characters exactly and stays within every cap", () => {
    const random = prng(4242);
    const pick = <X>(list: readonly X[]) => list[Math.floor(random() * list.length)];
    const threads = [T, "t-b", "t-c", "never-opened"];
    const turns = ["t1", "t2", "local:r1", "local:r5", "x".repeat(199)];
    const texts = ["a", "word ", "z".repeat(30_000), "😀".repeat(500)];
    const sources = ["m1", "s1"];
    const eventTypes = [
      "turn.start.accepted",
      "turn.start.rejected",
      "turn.started",
      "turn.steered",
      "turn.steer.accepted",
      "turn.interrupted",
      "turn.ended",
      "text_content.delta",
      "text_content.ended",
      "reasoning_content.delta",
      "file_content.delta",
      "tool_call.started",
      "tool_call.arguments_delta",
      "tool_call.log_delta",
      "tool_call.ended",
      "thread.listed",
      "thread.created",
      "thread.updated",
      "thread.deleted",
      "thread.started",
      "thread.loaded",
      "thread.cleared",
      "thread.status",
      "usage.updated",
    ];
    let state = run([...opened(T), ...opened("t-b")]);
    let counter = 0;
    for (let i = 0; i < 6000; i++) {
      const roll = random();
      if (roll < 0.05) {
        // The page never reuses a message id; the agent may name any of them.
        const mid = `r${counter++}`;
        sources.push(mid);
        const raw = pick([
          () =>
            buildClientRequest("meshagent.agent.turn.start", {
              thread_id: pick(threads),
              content: [{ type: "text", text: "q" }],
              message_id: mid,
            }),
          () => buildClientRequest("meshagent.agent.thread.list", { limit: 200, message_id: mid }),
          () =>
            buildClientRequest("meshagent.agent.thread.start", {
              content: [{ type: "text", text: "new" }],
              message_id: mid,
            }),
          () =>
            buildClientRequest("meshagent.agent.thread.open", {
              thread_id: pick(threads),
              load: random() < 0.5,
              message_id: mid,
            }),
          () =>
            buildClientRequest("meshagent.agent.turn.steer", {
              thread_id: pick(threads),
              turn_id: pick(turns),
              content: [{ type: "text", text: "st" }],
              message_id: mid,
            }),
        ])();
        state = run(request(raw), state);
        continue;
      }
      const text = pick(texts);
      const raw: Record<string, unknown> = {
        type: `meshagent.agent.${pick(eventTypes)}`,
        message_id: random() < 0.2 ? pick(["d1", "d2"]) : `e${counter++}`,
        thread_id: pick(threads),
        turn_id: pick(turns),
        item_id: pick(["i1", "i2", `i${Math.floor(random() * 300)}`]),
        source_message_id: pick(sources.slice(-8)),
        text,
        delta: text,
        url: "room:///files/" + text.slice(0, 100),
        toolkit: "tk",
        tool: "tool",
        arguments: { a: text },
        lines: Array.from({ length: Math.floor(random() * 50) }, () => ({ source: "stdout", text })),
        result: pick([{ type: "text", text }, { type: "json", json: { text } }, { type: "empty" }]),
        content: random() < 0.5 ? [{ type: "text", text }] : undefined,
        threads: Array.from({ length: Math.floor(random() * 20) }, () => ({
          path: pick(threads),
          name: text.slice(0, 50),
        })),
        thread: { path: pick(threads), name: "n" },
        path: pick(threads),
        status: "Working",
        error: { message: "boom" },
        usage: { input_tokens: 1 },
      };
      state = run(event(random() < 0.2 ? { payload: raw } : raw), state);
      if (i % 500 === 0) expectWithinCaps(state);
    }
    expectWithinCaps(state);
  }, 60_000);
});

describe("the page's store files events only for agents it talks to", () => {
  it("drops an agent's events until the page has asked it something", async () => {
    const store = createTurnStore();
    const listed = (name: string) =>
      event(
        buildAgentEvent("meshagent.agent.thread.created", {
          thread: { path: `${name}-1`, name, created_at: "", modified_at: "" },
        }),
      )[0];
    for (let agent = 0; agent < 50; agent++) store.getState().queueEvent(`spam-${agent}`, listed(`spam-${agent}`));
    const ask = request(buildClientRequest("meshagent.agent.thread.list", { limit: 200, message_id: "l1" }))[0];
    store.getState().dispatch("assistant", ask);
    store.getState().queueEvent("assistant", listed("assistant"));
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(Object.keys(store.getState().agents)).toEqual(["assistant"]);
    expect(store.getState().agents.assistant.list.threads.map((thread) => thread.path)).toEqual(["assistant-1"]);
  });
});

describe("an agent joining under a name already in use", () => {
  const participant = (id: string, name: string, role = "agent", attributes: Record<string, unknown> = {}) =>
    [id, { id, role, name, renamedTo: null, attributes: { name, supports_agent_messages: true, ...attributes } }] as [
      string,
      RoomParticipant,
    ];

  it("does not take over the name: the agent the page knew first answers for it, whatever the ids", () => {
    // "zzz" sorts after "aaa": the roster's join order, not the id, decides.
    const roster = new Map([
      participant("zzz", "assistant"),
      participant("u1", "assistant", "user"),
      participant("aaa", "assistant"),
      participant("m1", "mallory"),
    ]);
    const agents = chatAgents(roster, "Bob");
    expect(agents.map((agent) => [agent.name, agent.participant.id])).toEqual([
      ["assistant", "zzz"],
      ["mallory", "m1"],
    ]);
  });

  it("leaves a user posing as an agent out, and keeps a hidden agent's name from being taken", () => {
    const roster = new Map([
      participant("u1", "helper", "user"),
      participant("h1", "hidden", "agent", { supports_chat: false }),
      participant("h2", "hidden"),
    ]);
    expect(chatAgents(roster, "Bob")).toEqual([]);
  });
});
