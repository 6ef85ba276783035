// The demo agent's turn protocol in the real local room, driven by real SDK
// clients playing the browser: threads, streamed turns, queueing, Stop,
// steering, persistence across an agent restart, and isolation.

import { describe, expect, it } from "vitest";
import { useHarness, waitFor } from "../../tooling/dev-room/test-helpers";
import { createOfflineTurnBrain } from "./offline-turn";
import { SAMPLE_MARKDOWN } from "./sample-answer";
import { joinTurnBrowser, useTurnAgent } from "./test-support";

const ROOM = "turn-test";
const h = useHarness({ dataDir: "turn-room-" });
const agent = useTurnAgent(h, ROOM);
const startAgent = (options: Parameters<typeof agent.start>[0] = {}) =>
  agent.start({ turnBrain: createOfflineTurnBrain({ pieceDelayMs: 2, slowStepMs: 150 }), ...options });

const short = (type: string) => type.replace("meshagent.agent.", "");

describe("the turn protocol in the local room", () => {
  it("advertises itself, starts a named thread and streams a turn in MeshAgent's order", async () => {
    await startAgent();
    const alice = await joinTurnBrowser(h, "alice", ROOM);
    const peer = alice.agent()!;
    expect(peer.getAttribute("meshagent.chatbot.threading")).toBe("default-new");
    expect(peer.getAttribute("empty_state_title")).toBe("Chat with assistant");

    await alice.send("meshagent.agent.thread.watch", {});
    const { threadId, turnId, messageId } = await alice.startThread("ping the agent please, it is a test");
    await alice.ended(turnId);
    await alice.next("meshagent.agent.thread.status", (e) => e.status === undefined);

    const created = await alice.next("meshagent.agent.thread.created");
    expect(created.thread).toMatchObject({ path: threadId, name: "ping the agent please, it is a test" });
    const order = alice.events
      .filter((e) => !e.type.endsWith("thread.created"))
      .map((e) => short(e.type) + (e.type === "meshagent.agent.thread.status" ? `:${e.status ?? "idle"}` : ""));
    expect(order.slice(0, 5)).toEqual([
      "thread.started",
      "turn.start.accepted",
      "thread.status:Thinking",
      "turn.started",
      "text_content.started",
    ]);
    expect(order.slice(-4)).toEqual(["text_content.ended", "usage.updated", "turn.ended", "thread.status:idle"]);
    expect(alice.of("meshagent.agent.turn.started")[0]).toMatchObject({
      turn_id: turnId,
      source_message_id: messageId,
      sender_name: "alice",
      content: [{ type: "text", text: "ping the agent please, it is a test" }],
    });
    expect(alice.of("meshagent.agent.turn.ended")[0].error).toBeUndefined();
    expect(alice.answer(turnId)).toContain("You said");
    // no model: tokens estimated from characters, four each
    const usage = alice.of("meshagent.agent.usage.updated")[0].usage;
    expect(usage.input_tokens).toBe(Math.ceil("ping the agent please, it is a test".length / 4));
    expect(usage.output_tokens).toBe(Math.ceil(alice.answer(turnId).length / 4));
    expect(alice.unparsed).toEqual([]);
  });

  it("streams a long markdown answer in pieces, visible before the turn ends", async () => {
    await startAgent();
    const alice = await joinTurnBrowser(h, "alice", ROOM);
    const { turnId } = await alice.startThread("markdown");
    const ended = await alice.ended(turnId);
    expect(ended.error).toBeUndefined();
    const deltas = alice.seen.filter(
      (s) => s.event.type === "meshagent.agent.text_content.delta" && s.event.phase === "final_answer",
    );
    expect(deltas.length).toBeGreaterThan(50);
    expect(alice.answer(turnId)).toBe(SAMPLE_MARKDOWN);
    const endedAt = alice.seen.find((s) => s.event === ended)!.at;
    expect(deltas[0].at).toBeLessThan(endedAt);
    // the commentary item is kept apart from the final answer
    const commentary = alice.of("meshagent.agent.text_content.started", (e) => e.phase === "commentary");
    expect(commentary).toHaveLength(1);
    expect(new Set(deltas.map((s) => (s.event as { item_id: string }).item_id)).size).toBe(1);
  });
});

describe("threads", () => {
  it("lists, renames and deletes threads, and tells watchers", async () => {
    await startAgent();
    const alice = await joinTurnBrowser(h, "alice", ROOM);
    const watcher = await joinTurnBrowser(h, "alice", ROOM); // a second tab of the same person
    await watcher.send("meshagent.agent.thread.watch", {});
    const first = await alice.startThread("first thread");
    await alice.ended(first.turnId);
    const second = await alice.startThread("second thread");
    await alice.ended(second.turnId);
    await waitFor(() => watcher.of("meshagent.agent.thread.created").length === 2, "created x2");

    const list = await alice.send("meshagent.agent.thread.list", { limit: 1, offset: 0 });
    const page = await alice.next("meshagent.agent.thread.listed", (e) => e.source_message_id === list.message_id);
    expect(page).toMatchObject({ total: 2, offset: 0, limit: 1 });
    expect(page.threads.map((t) => t.name)).toEqual(["second thread"]);

    await alice.send("meshagent.agent.thread.rename", { thread_id: first.threadId, name: "  Renamed\u0000 one " });
    const updated = await watcher.next("meshagent.agent.thread.updated", (e) => e.thread.path === first.threadId);
    expect(updated.thread.name).toBe("Renamed one");

    await alice.send("meshagent.agent.thread.delete", { thread_id: second.threadId });
    expect((await watcher.next("meshagent.agent.thread.deleted")).path).toBe(second.threadId);
    const again = await alice.send("meshagent.agent.thread.list", {});
    const listed = await alice.next("meshagent.agent.thread.listed", (e) => e.source_message_id === again.message_id);
    expect(listed.threads.map((t) => [t.path, t.name])).toEqual([[first.threadId, "Renamed one"]]);

    // the deleted thread is gone for good
    const open = await alice.send("meshagent.agent.thread.open", { thread_id: second.threadId, load: true });
    const refused = await alice.next(
      "meshagent.agent.turn.start.rejected",
      (e) => e.source_message_id === open.message_id,
    );
    expect(refused.error.code).toBe("thread_not_found");
  });

  it("keeps threads in room storage: after an agent restart the list and the history replay are there", async () => {
    await startAgent();
    const alice = await joinTurnBrowser(h, "alice", ROOM);
    const { threadId, turnId } = await alice.startThread("ping");
    await alice.ended(turnId);
    const second = await alice.turn(threadId, "markdown");
    await alice.ended(second);
    const firstAnswer = alice.answer(turnId);
    await agent.stop();

    await startAgent();
    const reloaded = await joinTurnBrowser(h, "alice", ROOM);
    const list = await reloaded.send("meshagent.agent.thread.list", {});
    const listed = await reloaded.next("meshagent.agent.thread.listed", (e) => e.source_message_id === list.message_id);
    expect(listed.threads).toEqual([expect.objectContaining({ path: threadId, name: "ping" })]);

    const open = await reloaded.send("meshagent.agent.thread.open", { thread_id: threadId, load: true });
    const loaded = await reloaded.next("meshagent.agent.thread.loaded", (e) => e.source_message_id === open.message_id);
    expect(loaded.thread_id).toBe(threadId);
    // a finished turn replays from turn.started (its input and sender); its acceptance is not stored
    expect(reloaded.of("meshagent.agent.turn.started").map((e) => e.turn_id)).toEqual([turnId, second]);
    expect(reloaded.of("meshagent.agent.turn.start.accepted")).toEqual([]);
    expect(reloaded.answer(turnId)).toBe(firstAnswer);
    expect(reloaded.answer(second)).toBe(SAMPLE_MARKDOWN);
    // stored deltas are merged per item: a replay is a handful of events, not thousands
    expect(reloaded.of("meshagent.agent.text_content.delta", (e) => e.turn_id === second).length).toBeLessThan(3);
    expect(reloaded.of("meshagent.agent.usage.updated").length).toBe(1);
    expect(reloaded.events.at(-1)?.type).toBe("meshagent.agent.thread.loaded");

    // since_turn replays only what came after that turn
    const since = await reloaded.send("meshagent.agent.thread.open", {
      thread_id: threadId,
      load: true,
      since_turn: turnId,
    });
    await reloaded.next("meshagent.agent.thread.loaded", (e) => e.source_message_id === since.message_id);
    const replayed = reloaded.of("meshagent.agent.turn.started").map((e) => e.turn_id);
    expect(replayed).toEqual([turnId, second, second]);

    // and the thread goes on where it left off
    const third = await reloaded.turn(threadId, "ping");
    expect((await reloaded.ended(third)).error).toBeUndefined();
    expect(reloaded.answer(third)).toBe("pong");
  });
});

describe("turns", () => {
  it("queues a second turn while the first runs, and runs it next", async () => {
    await startAgent();
    const alice = await joinTurnBrowser(h, "alice", ROOM);
    const { threadId, turnId } = await alice.startThread("slow");
    await alice.next("meshagent.agent.turn.started", (e) => e.turn_id === turnId);
    const queued = await alice.turn(threadId, "ping");
    expect(alice.of("meshagent.agent.turn.started", (e) => e.turn_id === queued)).toEqual([]);
    await alice.ended(turnId, 8000);
    await alice.ended(queued);
    const started = alice.events.findIndex((e) => e.type === "meshagent.agent.turn.started" && e.turn_id === queued);
    const firstEnded = alice.events.findIndex((e) => e.type === "meshagent.agent.turn.ended" && e.turn_id === turnId);
    expect(started).toBeGreaterThan(firstEnded);
    expect(alice.answer(queued)).toBe("pong");
  });

  it("stops a turn mid-stream on turn.interrupt, in MeshAgent's order, and answers the next one", async () => {
    await startAgent();
    const alice = await joinTurnBrowser(h, "alice", ROOM);
    const { threadId, turnId } = await alice.startThread("slow");
    await waitFor(() => alice.answer(turnId).includes(" 2"), "two counts");
    const interrupt = await alice.send("meshagent.agent.turn.interrupt", { thread_id: threadId, turn_id: turnId });
    const ended = await alice.ended(turnId);
    expect(ended.error).toEqual({ message: "turn cancelled", code: "cancelled" });
    const tail = alice.events
      .filter((e) => "turn_id" in e && e.turn_id === turnId)
      .map((e) => short(e.type))
      .slice(-4);
    expect(tail).toEqual(["turn.interrupt.accepted", "text_content.ended", "turn.interrupted", "turn.ended"]);
    expect(alice.of("meshagent.agent.turn.interrupt.accepted")[0].source_message_id).toBe(interrupt.message_id);
    const counted = alice.answer(turnId);
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(alice.answer(turnId)).toBe(counted); // nothing more after the stop
    const last = alice.events.at(-1);
    expect(last?.type === "meshagent.agent.thread.status" && last.status === undefined).toBe(true);

    const next = await alice.turn(threadId, "ping");
    expect((await alice.ended(next)).error).toBeUndefined();
  });

  it("lets a steer join the running turn", async () => {
    await startAgent();
    const alice = await joinTurnBrowser(h, "alice", ROOM);
    const { threadId, turnId } = await alice.startThread("slow");
    await alice.next("meshagent.agent.thread.status", (e) => e.mode === "steerable" && e.status === "Counting slowly");
    const steer = await alice.send("meshagent.agent.turn.steer", {
      thread_id: threadId,
      turn_id: turnId,
      content: [{ type: "text", text: "stop at once" }],
    });
    const accepted = await alice.next("meshagent.agent.turn.steer.accepted");
    expect(accepted).toMatchObject({ turn_id: turnId, source_message_id: steer.message_id, sender_name: "alice" });
    await alice.next("meshagent.agent.turn.steered", (e) => e.source_message_id === steer.message_id);
    expect((await alice.ended(turnId)).error).toBeUndefined();
    expect(alice.answer(turnId)).toMatch(/Steered by `stop at once`: I stop counting at \d+/);
    // one turn, not two
    expect(alice.of("meshagent.agent.turn.started")).toHaveLength(1);

    // a steer for a turn that is over is refused
    const late = await alice.send("meshagent.agent.turn.steer", {
      thread_id: threadId,
      turn_id: turnId,
      content: [{ type: "text", text: "too late" }],
    });
    const rejected = await alice.next(
      "meshagent.agent.turn.steer.rejected",
      (e) => e.source_message_id === late.message_id,
    );
    expect(rejected.error.code).toBe("turn_not_in_progress");
  });

  it("ends a turn with an error the person can read, and stays up", async () => {
    await startAgent();
    const alice = await joinTurnBrowser(h, "alice", ROOM);
    const { threadId, turnId } = await alice.startThread("error");
    const ended = await alice.ended(turnId);
    expect(ended.error?.message).toMatch(/demo error/);
    const next = await alice.turn(threadId, "ping");
    expect(alice.answer((await alice.ended(next)).turn_id)).toBe("pong");
  });
});

describe("isolation by room identity", () => {
  it("never lets another participant open, write, rename, delete, steer or stop someone's thread", async () => {
    const running = await startAgent();
    const alice = await joinTurnBrowser(h, "alice", ROOM);
    const bob = await joinTurnBrowser(h, "bob", ROOM);
    await bob.send("meshagent.agent.thread.watch", {});
    const { threadId, turnId } = await alice.startThread("slow");
    await alice.next("meshagent.agent.turn.started", (e) => e.turn_id === turnId);

    const attempts = [
      await bob.send("meshagent.agent.thread.open", { thread_id: threadId, load: true }),
      await bob.send("meshagent.agent.turn.start", { thread_id: threadId, content: [{ type: "text", text: "hi" }] }),
      await bob.send("meshagent.agent.thread.rename", { thread_id: threadId, name: "mine now" }),
      await bob.send("meshagent.agent.thread.delete", { thread_id: threadId }),
      await bob.send("meshagent.agent.thread.clear", { thread_id: threadId }),
    ];
    await bob.send("meshagent.agent.turn.interrupt", { thread_id: threadId, turn_id: turnId });
    const steer = await bob.send("meshagent.agent.turn.steer", {
      thread_id: threadId,
      turn_id: turnId,
      content: [{ type: "text", text: "hijack" }],
    });
    for (const attempt of attempts) {
      const refused = await bob.next(
        "meshagent.agent.turn.start.rejected",
        (e) => e.source_message_id === attempt.message_id,
      );
      expect(refused.error.code).toBe("thread_not_found");
    }
    const steerRefused = await bob.next(
      "meshagent.agent.turn.steer.rejected",
      (e) => e.source_message_id === steer.message_id,
    );
    expect(steerRefused.error.code).toBe("thread_not_found");

    // alice's turn ran to its end untouched, under its own name
    const ended = await alice.ended(turnId, 8000);
    expect(ended.error).toBeUndefined();
    expect(alice.answer(turnId)).toContain("Done.");
    expect(alice.of("meshagent.agent.turn.steer.accepted")).toEqual([]);
    const list = await alice.send("meshagent.agent.thread.list", {});
    const listed = await alice.next("meshagent.agent.thread.listed", (e) => e.source_message_id === list.message_id);
    expect(listed.threads.map((t) => t.name)).toEqual(["slow"]);

    // bob saw nothing of alice's thread: not its events, not its list entry
    expect(
      bob.events.filter((e) => "thread_id" in e && e.thread_id === threadId && !e.type.endsWith(".rejected")),
    ).toEqual([]);
    expect(bob.of("meshagent.agent.thread.created")).toEqual([]);
    const bobList = await bob.send("meshagent.agent.thread.list", {});
    expect(
      (await bob.next("meshagent.agent.thread.listed", (e) => e.source_message_id === bobList.message_id)).total,
    ).toBe(0);
    expect(running.rooms.get(ROOM)!.turn.counters.refused).toBeGreaterThanOrEqual(6);
  });
});
