import { afterEach, beforeEach, describe, expect, it, onTestFinished, vi } from "vitest";
import { buildAgentEvent, buildClientRequest } from "@/lib/shared/agent-turn/build";
import { parseAgentEvent, parseClientRequest } from "@/lib/shared/agent-turn/parse";
import type { TurnAction } from "@/features/agents/turn/thread-store";
import { REPLAY_PUBLISH_MS, createTurnStore, paceMs } from "@/features/agents/turn/turn-store";

// How often the views hear of the store: every flush for a live chat, at most
// every REPLAY_PUBLISH_MS while a thread's history replays, at once when it is
// loaded; a long streaming text at most every paceMs(its turn's size).

const AGENT = "assistant";

function event(raw: unknown): TurnAction {
  const parsed = parseAgentEvent(raw);
  if (!parsed) throw new Error(`not an event: ${JSON.stringify(raw)}`);
  return { type: "event", event: parsed };
}

function openRequest(thread: string): TurnAction {
  const parsed = parseClientRequest(
    buildClientRequest("meshagent.agent.thread.open", { thread_id: thread, load: true, message_id: `o-${thread}` }),
  );
  return { type: "request", request: { ...parsed!, message_id: parsed!.message_id! } };
}

const delta = (thread: string, turn: string, text: string) =>
  event(
    buildAgentEvent("meshagent.agent.text_content.delta", { thread_id: thread, turn_id: turn, item_id: "i", text }),
  );
const ended = (thread: string, turn: string) =>
  event(buildAgentEvent("meshagent.agent.text_content.ended", { thread_id: thread, turn_id: turn, item_id: "i" }));
const loaded = (thread: string) =>
  event(buildAgentEvent("meshagent.agent.thread.loaded", { thread_id: thread, source_message_id: `o-${thread}` }));

describe("the turn store's publications", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  function watched() {
    const store = createTurnStore();
    const published: number[] = [];
    store.subscribe(() => published.push(performance.now()));
    return { store, published };
  }

  it("tells the views of a replaying history at most every REPLAY_PUBLISH_MS, and of thread.loaded at once", async () => {
    const { store, published } = watched();
    store.getState().dispatch(AGENT, openRequest("t1"));
    expect(store.getState().agents[AGENT]!.open.t1!.phase).toBe("loading");
    const opened = published.length;

    // 2 s of replay, an event every 10 ms: one turn per 100 ms.
    for (let i = 0; i < 200; i++) {
      store.getState().queueEvent(AGENT, delta("t1", `turn-${Math.floor(i / 10)}`, `${i} `));
      await vi.advanceTimersByTimeAsync(10);
    }
    const during = published.length - opened;
    expect(during).toBeGreaterThan(0);
    expect(during).toBeLessThanOrEqual(Math.ceil(2000 / REPLAY_PUBLISH_MS) + 1);
    for (let i = 1; i < published.length - opened; i++)
      expect(published[opened + i]! - published[opened + i - 1]!).toBeGreaterThanOrEqual(REPLAY_PUBLISH_MS - 1);

    // The end of the replay is on screen with the next flush, with every turn, not after the pause.
    const before = published.length;
    const at = performance.now();
    store.getState().queueEvent(AGENT, loaded("t1"));
    await vi.advanceTimersByTimeAsync(100);
    expect(published.length).toBe(before + 1);
    expect(published.at(-1)! - at).toBeLessThanOrEqual(100);
    const thread = store.getState().agents[AGENT]!.open.t1!;
    expect(thread.phase).toBe("ready");
    expect(thread.turns).toHaveLength(20);
  });

  it("publishes a live chat's events every flush", async () => {
    const { store, published } = watched();
    store.getState().dispatch(AGENT, openRequest("t2"));
    store.getState().queueEvent(AGENT, loaded("t2"));
    await vi.advanceTimersByTimeAsync(100);
    const ready = published.length;
    for (let i = 0; i < 10; i++) {
      store.getState().queueEvent(AGENT, delta("t2", "live", `${i} `));
      await vi.advanceTimersByTimeAsync(100);
    }
    expect(published.length - ready).toBe(10);
  });

  it("paints a short answer's first words at once, then at most ten times a second", async () => {
    // A visible page: the store flushes every animation frame (a hidden one, as in Node, every 100 ms).
    vi.stubGlobal("document", { visibilityState: "visible" });
    vi.stubGlobal("requestAnimationFrame", (frame: () => void) => setTimeout(frame, 16));
    onTestFinished(() => void vi.unstubAllGlobals());
    const { store, published } = watched();
    store.getState().dispatch(AGENT, openRequest("t6"));
    store.getState().queueEvent(AGENT, loaded("t6"));
    await vi.advanceTimersByTimeAsync(100);
    const ready = published.length;
    const at = performance.now();
    store.getState().queueEvent(AGENT, delta("t6", "short", "Hello"));
    await vi.advanceTimersByTimeAsync(20);
    expect(published.length).toBe(ready + 1);
    expect(published.at(-1)! - at).toBeLessThanOrEqual(20);

    // 1 s of words, one every 10 ms: ten paints or fewer, 100 ms apart, the last with every word.
    for (let i = 0; i < 100; i++) {
      store.getState().queueEvent(AGENT, delta("t6", "short", " w"));
      await vi.advanceTimersByTimeAsync(10);
    }
    await vi.advanceTimersByTimeAsync(100);
    const during = published.slice(ready);
    expect(during.length).toBeGreaterThanOrEqual(9);
    expect(during.length).toBeLessThanOrEqual(12);
    for (let i = 1; i < during.length; i++) expect(during[i]! - during[i - 1]!).toBeGreaterThanOrEqual(99);
    const item = store.getState().agents[AGENT]!.open.t6!.turns[0]!.items[0]!;
    expect(item).toMatchObject({ kind: "text", text: "Hello" + " w".repeat(100) });
  });

  it("applies a request of ours on top of replayed events it still holds", async () => {
    const { store } = watched();
    store.getState().dispatch(AGENT, openRequest("t3"));
    store.getState().queueEvent(AGENT, delta("t3", "old", "a"));
    await vi.advanceTimersByTimeAsync(100);
    store.getState().queueEvent(AGENT, delta("t3", "old", "b"));
    await vi.advanceTimersByTimeAsync(100); // held: within REPLAY_PUBLISH_MS of the last publication
    store.getState().dispatch(AGENT, openRequest("t4"));
    const t3 = store.getState().agents[AGENT]!.open.t3!;
    expect(t3.turns[0]!.items[0]).toMatchObject({ kind: "text", text: "ab" });
    expect(store.getState().agents[AGENT]!.open.t4!.phase).toBe("loading");
  });

  it("tells the views of a long streaming text at its pace, and of anything else at once", async () => {
    const { store, published } = watched();
    store.getState().dispatch(AGENT, openRequest("t5"));
    store.getState().queueEvent(AGENT, loaded("t5"));
    await vi.advanceTimersByTimeAsync(100);
    // The first words of an answer (a new item) are published with the next flush, however long they are.
    let before = published.length;
    store.getState().queueEvent(AGENT, delta("t5", "long", "x".repeat(30_000)));
    await vi.advanceTimersByTimeAsync(100);
    expect(published.length).toBe(before + 1);
    expect(paceMs(store.getState().agents[AGENT]!.open.t5!.turns[0]!.chars)).toBe(150);

    // 2 s more of it, a delta every 10 ms: the views hear of it at most every 150 ms, with all of it so far.
    before = published.length;
    for (let i = 0; i < 200; i++) {
      store.getState().queueEvent(AGENT, delta("t5", "long", "y"));
      await vi.advanceTimersByTimeAsync(10);
    }
    const during = published.slice(before);
    expect(during.length).toBeGreaterThan(5);
    expect(during.length).toBeLessThanOrEqual(Math.ceil(2000 / 150) + 1);
    for (let i = 1; i < during.length; i++) expect(during[i]! - during[i - 1]!).toBeGreaterThanOrEqual(149);

    // The text's end is published with the next flush, not after a pause, with every delta.
    let done = Number.NaN;
    const unsubscribe = store.subscribe((state) => {
      const item = state.agents[AGENT]!.open.t5!.turns[0]!.items[0]!;
      if (item.kind === "text" && item.done) done = performance.now();
    });
    const at = performance.now();
    store.getState().queueEvent(AGENT, ended("t5", "long"));
    await vi.advanceTimersByTimeAsync(100);
    unsubscribe();
    expect(done - at).toBeLessThanOrEqual(100);
    const item = store.getState().agents[AGENT]!.open.t5!.turns[0]!.items[0]!;
    expect(item).toMatchObject({ kind: "text", done: true, text: "x".repeat(30_000) + "y".repeat(200) });
  });
});

describe("paceMs", () => {
  it("publishes a text's first words at once, then ten times a second, a long one less often, never slower than 150 ms", () => {
    // 16.1: the first words of an answer are painted at once
    expect(paceMs(0)).toBe(0);
    expect(paceMs(1)).toBe(100);
    expect(paceMs(10_000)).toBe(100);
    expect(paceMs(20_000)).toBe(100);
    expect(paceMs(25_000)).toBe(125);
    expect(paceMs(30_000)).toBe(150);
    // the answer keeps moving however long it gets
    expect(paceMs(1_000_000)).toBe(150);
  });
});
