import { describe, expect, it } from "vitest";
import { buildAgentEvent, buildClientRequest } from "@/lib/shared/agent-turn/build";
import { parseAgentEvent, parseClientRequest } from "@/lib/shared/agent-turn/parse";
import {
  SPEC_AGENT_EVENTS,
  SPEC_CLIENT_REQUESTS,
  SPEC_THREAD_ID as T,
} from "@/lib/shared/agent-turn/spec-exchange.fixture";
import { agentTurnReducer, type TurnAction } from "@/features/agents/turn/thread-store";
import { EMPTY_AGENT_STATE, TURN_STORE_LIMITS, type AgentTurnState } from "@/features/agents/turn/turn-state";
import { prng } from "@/tooling/testing/prng";

/** Feeds raw payloads through the real parsers, as the page does: what does not parse never reaches the reducer. */
function event(raw: unknown): TurnAction[] {
  const parsed = parseAgentEvent(raw);
  return parsed ? [{ type: "event", event: parsed }] : [];
}
function request(raw: unknown): TurnAction[] {
  const parsed = parseClientRequest(raw);
  if (!parsed || !parsed.message_id) throw new Error(`not a request: ${JSON.stringify(raw)}`);
  return [{ type: "request", request: { ...parsed, message_id: parsed.message_id } }];
}
const run = (actions: TurnAction[], state: AgentTurnState = EMPTY_AGENT_STATE) =>
  actions.reduce(agentTurnReducer, state);

const byId = (list: readonly Record<string, unknown>[], id: string) => list.find((item) => item.message_id === id)!;
const c = (id: string) => request(byId(SPEC_CLIENT_REQUESTS, id));
const a = (...ids: string[]) => ids.flatMap((id) => event(byId(SPEC_AGENT_EVENTS, id)));

/** The spec's §1.8 exchange in the order it happens. */
const SPEC_EXCHANGE: TurnAction[] = [
  ...c("c1"),
  ...c("c2"),
  ...a("a1"),
  ...c("c3"),
  ...a("a2", "a3"),
  ...c("c4"),
  ...a("a4", "a5", "a6", "a7", "a8", "a9"),
  ...c("c5"),
  ...a("a10", "a11", "a12", "a13", "a14", "a15", "a16", "a17"),
  ...c("c6"),
  ...a("a18", "a19", "a20"),
];

const openThread = (id = T) =>
  request(buildClientRequest("meshagent.agent.thread.open", { thread_id: id, load: true, message_id: `open-${id}` }));
const loaded = (id = T) =>
  event(buildAgentEvent("meshagent.agent.thread.loaded", { thread_id: id, source_message_id: `open-${id}` }));
const delta = (text: string, fields: { turn?: string; item?: string; id?: string; thread?: string } = {}) =>
  event(
    buildAgentEvent("meshagent.agent.text_content.delta", {
      thread_id: fields.thread ?? T,
      turn_id: fields.turn ?? "t1",
      item_id: fields.item ?? "m1",
      text,
      message_id: fields.id,
    }),
  );
const textOf = (state: AgentTurnState, turn = 0, item = 0) => {
  const found = state.open[T]?.turns[turn]?.items[item];
  return found && "text" in found ? found.text : undefined;
};

describe("the spec's recorded exchange (§1.8)", () => {
  it("parses every line", () => {
    expect(SPEC_EXCHANGE).toHaveLength(SPEC_CLIENT_REQUESTS.length - 0 + SPEC_AGENT_EVENTS.length);
  });

  it("ends with the thread listed, opened and one answered turn, its tool call, answer, usage and the interrupted one", () => {
    const state = run(SPEC_EXCHANGE);
    expect(state.list).toEqual({
      threads: [{ path: T, name: "Trip plan", modifiedAt: "2026-08-01T10:05:00Z" }],
      total: 1,
      loaded: true,
    });
    const thread = state.open[T];
    expect(thread.phase).toBe("ready");
    expect(thread.status).toBeNull();
    expect(thread.usage).toEqual({ input: 1840, output: 42, contextUsed: 1882, contextTotal: 1050000 });
    expect(thread.lastEndedTurnId).toBe("t2");
    const [first, second] = thread.turns;
    expect(first).toMatchObject({
      key: "t1",
      turnId: "t1",
      own: true,
      state: "ended",
      error: null,
      stopped: false,
      sender: "alice@example.com",
      input: [
        { type: "text", text: "What time is it for me? See attached." },
        { type: "file", url: "room:///uploaded-files/notes.pdf", name: "notes.pdf" },
      ],
    });
    expect(first.items).toEqual([
      {
        kind: "tool",
        id: "fc_1",
        toolkit: "client",
        tool: "get_local_time",
        args: "{}",
        logs: [],
        state: "ended",
        result: { type: "text", text: "time: 2026-08-20T11:00:05+02:00, zone: Europe/Berlin" },
        error: undefined,
        approval: undefined,
      },
      { kind: "text", id: "msg_1", phase: "final_answer", text: "It is 11:00 in Berlin.", done: true, cut: false },
    ]);
    expect(second).toMatchObject({ turnId: "t2", state: "ended", stopped: true, error: null });
    expect(state.clientCalls.r1).toMatchObject({ tool: "get_local_time", state: "answered", replayed: false });
    expect(state.pending).toEqual({});
  });

  it("shows partial text while the turn streams, and the status with its start time", () => {
    const upTo = SPEC_EXCHANGE.findIndex((action) => action.type === "event" && action.event.message_id === "a12");
    const state = run(SPEC_EXCHANGE.slice(0, upTo + 1));
    expect(textOf(state, 0, 1)).toBe("It is 11:00 in ");
    expect(state.open[T].turns[0].state).toBe("running");
    expect(state.open[T].status).toEqual({
      text: "Thinking",
      mode: "steerable",
      startedAt: Date.parse("2026-08-20T09:00:00Z"),
      turnId: "t1",
    });
  });

  it("is the same state when every event is delivered twice (duplicates are dropped by message_id)", () => {
    const twice = SPEC_EXCHANGE.flatMap((action): TurnAction[] =>
      action.type === "event" ? [action, action] : [action],
    );
    expect(run(twice)).toEqual(run(SPEC_EXCHANGE));
  });
});

describe("events the page must not trust", () => {
  it("ignores events for threads it has not opened (someone else's) and lists it did not ask for", () => {
    const state = run([...openThread(), ...loaded()]);
    const foreign = [
      ...delta("not yours", { thread: "dataset://.threads/assistant/bob" }),
      ...event(
        buildAgentEvent("meshagent.agent.thread.listed", {
          source_message_id: "never-asked",
          threads: [{ path: "x", name: "spam", created_at: "", modified_at: "" }],
          total: 1,
          offset: 0,
          limit: 50,
        }),
      ),
      ...event(buildAgentEvent("meshagent.agent.thread.status", { thread_id: "elsewhere", status: "Hacking" })),
    ];
    expect(run(foreign, state)).toBe(state);
  });

  it("accepts out-of-order events: deltas before turn.started and text_content.started build the same answer", () => {
    const state = run([
      ...openThread(),
      ...loaded(),
      ...delta("Hello ", { id: "d1" }),
      ...event(buildAgentEvent("meshagent.agent.turn.started", { thread_id: T, turn_id: "t1" })),
      ...event(buildAgentEvent("meshagent.agent.text_content.started", { thread_id: T, turn_id: "t1", item_id: "m1" })),
      ...delta("world", { id: "d2" }),
      ...event(buildAgentEvent("meshagent.agent.turn.ended", { thread_id: T, turn_id: "t1" })),
      ...delta("!", { id: "d3" }),
    ]);
    expect(state.open[T].turns).toHaveLength(1);
    expect(textOf(state)).toBe("Hello world!");
  });

  it("keeps an item's kind: a delta of another kind under a used item id changes nothing", () => {
    const base = run([...openThread(), ...loaded(), ...delta("text")]);
    const after = run(
      event(
        buildAgentEvent("meshagent.agent.file_content.delta", {
          thread_id: T,
          turn_id: "t1",
          item_id: "m1",
          url: "room:///x",
        }),
      ),
      base,
    );
    expect(after.open[T].turns[0].items).toEqual(base.open[T].turns[0].items);
  });

  it("caps 10 MB of deltas at the per-item limit, marked cut", () => {
    let state = run([...openThread(), ...loaded()]);
    const chunk = "x".repeat(64_000);
    for (let i = 0; i < 160; i++) state = run(delta(chunk, { id: `big-${i}` }), state);
    const item = state.open[T].turns[0].items[0];
    expect(item).toMatchObject({ kind: "text", cut: true });
    expect((item as { text: string }).text).toHaveLength(TURN_STORE_LIMITS.itemText);
  });

  it("refuses 100,000 threads in one thread.listed at the edge, and keeps at most the list cap of a big one", () => {
    const listRequest = request(buildClientRequest("meshagent.agent.thread.list", { limit: 200, message_id: "l1" }));
    const threads = (n: number) =>
      Array.from({ length: n }, (_, i) => ({ path: `p${i}`, name: `T${i}`, created_at: "", modified_at: "" }));
    const listed = (n: number) => ({
      type: "meshagent.agent.thread.listed",
      message_id: `listed-${n}`,
      source_message_id: "l1",
      threads: threads(n),
      total: n,
      offset: 0,
      limit: 200,
    });
    expect(event(listed(100_000))).toEqual([]);
    const state = run([...listRequest, ...event(listed(1000))]);
    expect(state.list.threads).toHaveLength(TURN_STORE_LIMITS.listedThreads);
    expect(state.list.total).toBe(1000);
  });

  it("caps turns per thread, items per turn, log lines and open threads", () => {
    let state = run([...openThread(), ...loaded()]);
    for (let i = 0; i < TURN_STORE_LIMITS.turns + 20; i++) state = run(delta("a", { turn: `t${i}` }), state);
    expect(state.open[T].turns).toHaveLength(TURN_STORE_LIMITS.turns);
    expect(state.open[T].turns[0].turnId).toBe("t20");
    for (let i = 0; i < TURN_STORE_LIMITS.items + 20; i++)
      state = run(delta("a", { turn: "last", item: `i${i}` }), state);
    expect(state.open[T].turns.at(-1)!.items).toHaveLength(TURN_STORE_LIMITS.items);
    const log = (n: number) =>
      event(
        buildAgentEvent("meshagent.agent.tool_call.log_delta", {
          thread_id: T,
          turn_id: "last",
          item_id: "tool",
          lines: Array.from({ length: n }, (_, i) => ({ source: "stdout" as const, text: `line ${i} `.repeat(500) })),
        }),
      );
    state = run([...log(150), ...log(150)], state);
    const tool = state.open[T].turns.at(-1)!.items.find((item) => item.id === "tool");
    // The turn was full: a new item is not added, so the log has nowhere to go.
    expect(tool).toBeUndefined();
    state = run(
      [...log(150), ...log(150)].map((action) => ({ ...action })),
      run(delta("a", { turn: "fresh", item: "x" }), state),
    );
    for (let i = 0; i < TURN_STORE_LIMITS.openThreads + 5; i++) state = run(openThread(`thread-${i}`), state);
    expect(Object.keys(state.open)).toHaveLength(TURN_STORE_LIMITS.openThreads);
    expect(state.openOrder).toHaveLength(TURN_STORE_LIMITS.openThreads);
  });

  it("keeps log lines capped in count and length", () => {
    const log = (n: number, id: string) =>
      event({
        type: "meshagent.agent.tool_call.log_delta",
        message_id: id,
        thread_id: T,
        turn_id: "t1",
        item_id: "tool",
        lines: Array.from({ length: n }, (_, i) => ({ source: "stderr", text: `${i}:`.padEnd(5000, "y") })),
      });
    const state = run([...openThread(), ...loaded(), ...log(150, "l1"), ...log(150, "l2")]);
    const tool = state.open[T].turns[0].items[0];
    expect(tool.kind).toBe("tool");
    if (tool.kind !== "tool") return;
    expect(tool.logs).toHaveLength(TURN_STORE_LIMITS.logLines);
    expect(tool.logs.at(-1)!.text.startsWith("149:")).toBe(true);
    expect(Math.max(...tool.logs.map((line) => line.text.length))).toBe(TURN_STORE_LIMITS.logLineText);
  });

  it("never throws and stays within its caps for 8,000 random, shuffled, duplicated events (seeded fuzz)", () => {
    const random = prng(16);
    const pick = <X>(list: readonly X[]) => list[Math.floor(random() * list.length)];
    const threads = [T, "other", ""];
    const turns = ["t1", "t2", "t3", "x".repeat(300)];
    const types = [
      "thread.status",
      "turn.started",
      "turn.ended",
      "turn.start.accepted",
      "turn.start.rejected",
      "text_content.delta",
      "text_content.ended",
      "reasoning_content.delta",
      "file_content.delta",
      "tool_call.started",
      "tool_call.log_delta",
      "tool_call.ended",
      "tool_call.approval_requested",
      "client_tool_call.requested",
      "client_tool_call.cancelled",
      "thread.created",
      "thread.deleted",
      "thread.loaded",
      "usage.updated",
      "nonsense",
    ];
    const junk = () =>
      pick<unknown>([undefined, null, 1, "", "s".repeat(Math.floor(random() * 70_000)), {}, [], { toString: 1 }]);
    let state = run([...openThread(), ...loaded()]);
    for (let i = 0; i < 8000; i++) {
      const raw: Record<string, unknown> = {
        type: `meshagent.agent.${pick(types)}`,
        message_id: random() < 0.3 ? "dup" : `m${i}`,
        thread_id: pick(threads),
        turn_id: pick(turns),
        item_id: pick(["i1", "i2", junk()]),
        text: random() < 0.8 ? "txt " : junk(),
        url: pick(["room:///a.txt", junk()]),
        toolkit: "tk",
        tool: pick(["ask_user", junk()]),
        request_id: pick(["r1", "r2", junk()]),
        source_message_id: pick(["s1", junk()]),
        lines: [{ source: "stdout", text: "log" }],
        error: pick([{ message: "boom", code: "x" }, junk()]),
        status: pick(["Working", junk()]),
        thread: { path: pick(["p1", "p2"]), name: "n" },
        path: "p1",
        usage: { input_tokens: 5 },
        arguments: pick([{}, junk()]),
      };
      const wrapped = random() < 0.2 ? { payload: raw } : raw;
      expect(() => (state = run(event(wrapped), state))).not.toThrow();
    }
    for (const thread of Object.values(state.open)) {
      expect(thread.turns.length).toBeLessThanOrEqual(TURN_STORE_LIMITS.turns);
      for (const turn of thread.turns) {
        expect(turn.items.length).toBeLessThanOrEqual(TURN_STORE_LIMITS.items);
        for (const item of turn.items)
          if ("text" in item) expect(item.text.length).toBeLessThanOrEqual(TURN_STORE_LIMITS.itemText);
      }
    }
    expect(state.seen.length).toBeLessThanOrEqual(TURN_STORE_LIMITS.seenMessages);
    expect(Object.keys(state.clientCalls).length).toBeLessThanOrEqual(TURN_STORE_LIMITS.clientCalls);
  }, 60_000);
});

describe("threads, turns and errors", () => {
  it("keeps the list live: created goes on top, updated renames, deleted removes and closes the open thread", () => {
    const created = (path: string, name: string, id: string) =>
      event(
        buildAgentEvent("meshagent.agent.thread.created", {
          thread: { path, name, created_at: "", modified_at: "" },
          message_id: id,
        }),
      );
    let state = run([...created("a", "First", "e1"), ...created("b", "Second", "e2")]);
    expect(state.list.threads.map((thread) => thread.name)).toEqual(["Second", "First"]);
    state = run(
      event(
        buildAgentEvent("meshagent.agent.thread.updated", {
          thread: { path: "a", name: "Renamed", created_at: "", modified_at: "" },
        }),
      ),
      state,
    );
    expect(state.list.threads.map((thread) => thread.name)).toEqual(["Renamed", "Second"]);
    state = run(
      [...openThread("a"), ...event(buildAgentEvent("meshagent.agent.thread.deleted", { path: "a" }))],
      state,
    );
    expect(state.list.threads.map((thread) => thread.path)).toEqual(["b"]);
    expect(state.open.a.phase).toBe("deleted");
    expect(run(delta("late", { thread: "a" }), state)).toBe(state);
  });

  it("a new chat: thread.start with the first message, thread.started selects it and shows the message", () => {
    const state = run([
      ...request(
        buildClientRequest("meshagent.agent.thread.start", {
          message_id: "s1",
          content: [{ type: "text", text: "Plan a trip" }],
        }),
      ),
      ...event(buildAgentEvent("meshagent.agent.thread.started", { source_message_id: "s1", thread_id: "new" })),
      ...event(
        buildAgentEvent("meshagent.agent.turn.start.accepted", {
          source_message_id: "s1",
          thread_id: "new",
          turn_id: "t9",
        }),
      ),
    ]);
    expect(state.startedThread).toEqual({ messageId: "s1", threadId: "new" });
    expect(state.open.new.turns).toEqual([
      expect.objectContaining({
        own: true,
        turnId: "t9",
        state: "queued",
        input: [{ type: "text", text: "Plan a trip" }],
      }),
    ]);
    expect(agentTurnReducer(state, { type: "started-seen" }).startedThread).toBeNull();
  });

  it("says in plain words why a turn was refused or failed, and marks a stopped one", () => {
    const state = run([
      ...openThread(),
      ...loaded(),
      ...request(
        buildClientRequest("meshagent.agent.turn.start", {
          thread_id: T,
          message_id: "q1",
          content: [{ type: "text", text: "hi" }],
        }),
      ),
      ...event(
        buildAgentEvent("meshagent.agent.turn.start.rejected", {
          thread_id: T,
          source_message_id: "q1",
          error: { message: "unknown model gpt-x", code: "unknown_model" },
        }),
      ),
      ...event(
        buildAgentEvent("meshagent.agent.turn.ended", {
          thread_id: T,
          turn_id: "t2",
          error: { message: "RateLimitError: slow down\n  at stack", code: "RateLimitError" },
        }),
      ),
    ]);
    expect(state.open[T].turns[0]).toMatchObject({
      state: "failed",
      error: "The agent does not know the model it was asked for.",
    });
    expect(state.open[T].turns[1]).toMatchObject({
      state: "ended",
      error: "The agent ran into a problem: RateLimitError: slow down at stack",
    });
  });

  it("marks a send that never reached the agent as failed", () => {
    const state = run([
      ...openThread(),
      ...request(
        buildClientRequest("meshagent.agent.turn.start", {
          thread_id: T,
          message_id: "q1",
          content: [{ type: "text", text: "hi" }],
        }),
      ),
      { type: "send-failed", messageId: "q1", error: "Not sent: the agent left." },
    ]);
    expect(state.open[T].turns[0]).toMatchObject({ state: "failed", error: "Not sent: the agent left." });
  });

  it("shows a message sent while the agent is busy as queued until its turn starts", () => {
    const state = run([
      ...openThread(),
      ...loaded(),
      ...request(
        buildClientRequest("meshagent.agent.turn.start", {
          thread_id: T,
          message_id: "q2",
          content: [{ type: "text", text: "next" }],
        }),
      ),
      ...event(
        buildAgentEvent("meshagent.agent.turn.start.accepted", {
          thread_id: T,
          source_message_id: "q2",
          turn_id: "t2",
        }),
      ),
    ]);
    expect(state.open[T].turns[0]).toMatchObject({ turnId: "t2", state: "queued" });
    const started = run(event(buildAgentEvent("meshagent.agent.turn.started", { thread_id: T, turn_id: "t2" })), state);
    expect(started.open[T].turns[0].state).toBe("running");
  });

  it("after a reconnect, a replay since the last turn rewrites the turns it resends instead of doubling them", () => {
    const turn = (id: string, text: string, n: number) => [
      ...event(
        buildAgentEvent("meshagent.agent.turn.started", { thread_id: T, turn_id: id, message_id: `${id}-s${n}` }),
      ),
      ...delta(text, { turn: id, item: `${id}-m`, id: `${id}-d${n}` }),
      ...event(buildAgentEvent("meshagent.agent.turn.ended", { thread_id: T, turn_id: id, message_id: `${id}-e${n}` })),
    ];
    let state = run([...openThread(), ...turn("t1", "one", 1), ...turn("t2", "two", 1), ...loaded()]);
    expect(state.open[T].lastEndedTurnId).toBe("t2");
    state = run(
      [
        ...request(
          buildClientRequest("meshagent.agent.thread.open", {
            thread_id: T,
            load: true,
            since_turn: "t2",
            message_id: "re",
          }),
        ),
        ...turn("t2", "two", 1),
        ...turn("t3", "three", 1),
        ...event(buildAgentEvent("meshagent.agent.thread.loaded", { thread_id: T, source_message_id: "re" })),
      ],
      state,
    );
    expect(state.open[T].turns.map((t) => [t.turnId, (t.items[0] as { text: string }).text])).toEqual([
      ["t1", "one"],
      ["t2", "two"],
      ["t3", "three"],
    ]);
    expect(state.open[T].phase).toBe("ready");
  });

  it("marks a thread silent when the agent does not answer the open in time, unless it already did", () => {
    const state = run(openThread());
    expect(
      agentTurnReducer(state, { type: "open-silent", threadId: T, openMessageId: `open-${T}` }).open[T].phase,
    ).toBe("silent");
    const ready = run(loaded(), state);
    expect(agentTurnReducer(ready, { type: "open-silent", threadId: T, openMessageId: `open-${T}` })).toBe(ready);
  });

  it("client tool calls: deduped by request_id, a replayed one is never asked again, cancel closes it", () => {
    const requested = (id: string, n: string) =>
      event(
        buildAgentEvent("meshagent.agent.client_tool_call.requested", {
          thread_id: T,
          turn_id: "t1",
          request_id: id,
          toolkit: "client",
          tool: "ask_user",
          arguments: { subject: "Name?" },
          message_id: n,
        }),
      );
    let state = run([
      ...openThread(),
      ...requested("old", "x1"),
      ...loaded(),
      ...requested("new", "x2"),
      ...requested("new", "x3"),
    ]);
    expect(state.clientCalls.old).toMatchObject({ replayed: true, state: "requested" });
    expect(state.clientCalls.new).toMatchObject({ replayed: false, state: "requested" });
    expect(Object.keys(state.clientCalls)).toEqual(["old", "new"]);
    state = run(
      event(
        buildAgentEvent("meshagent.agent.client_tool_call.cancelled", {
          thread_id: T,
          turn_id: "t1",
          request_id: "new",
          reason: "timeout",
        }),
      ),
      state,
    );
    expect(state.clientCalls.new.state).toBe("cancelled");
  });

  it("approvals: requested on the tool call, approved or rejected by our request, cleared when it ends", () => {
    let state = run([
      ...openThread(),
      ...loaded(),
      ...event(
        buildAgentEvent("meshagent.agent.tool_call.approval_requested", {
          thread_id: T,
          turn_id: "t1",
          item_id: "call",
          toolkit: "storage",
          tool: "write_file",
          arguments: { path: "a.txt" },
        }),
      ),
    ]);
    expect(state.open[T].turns[0].items[0]).toMatchObject({
      kind: "tool",
      approval: "requested",
      args: '{"path":"a.txt"}',
    });
    state = run(
      request(
        buildClientRequest("meshagent.agent.tool_call.approve", { thread_id: T, turn_id: "t1", item_id: "call" }),
      ),
      state,
    );
    expect(state.open[T].turns[0].items[0]).toMatchObject({ approval: "approved" });
  });
});
