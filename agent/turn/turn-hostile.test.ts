// Hostile input over the real local room: malformed, oversized, duplicated,
// out-of-order and foreign turn-protocol messages never crash the agent, never
// reach someone else's thread, and leave its memory bounded; caps on events
// per thread and text per turn hold.

import { describe, expect, it } from "vitest";
import { sdkToken, useHarness, waitFor } from "../../tooling/dev-room/test-helpers";
import { prng } from "../../tooling/testing/prng";
import { buildClientRequest } from "../../lib/shared/agent-turn/build";
import { createOfflineTurnBrain } from "./offline-turn";
import { joinTurnBrowser, TurnBrowser, useTurnAgent } from "./test-support";

const ROOM = "turn-hostile";
const h = useHarness({ dataDir: "turn-hostile-" });
const agent = useTurnAgent(h, ROOM);
const startAgent = (options: Parameters<typeof agent.start>[0] = {}) =>
  agent.start({ turnBrain: createOfflineTurnBrain({ pieceDelayMs: 0, slowStepMs: 50 }), ...options });
const logs = agent.logs;

const TYPES = [
  "thread.start",
  "turn.start",
  "turn.steer",
  "turn.interrupt",
  "thread.open",
  "thread.close",
  "thread.clear",
  "thread.delete",
  "thread.rename",
  "thread.list",
  "thread.watch",
  "thread.unwatch",
  "tool_call.approve",
  "tool_call.reject",
  "client_tool_call.response",
  "turn.ended",
  "text_content.delta",
  "nonsense",
].map((t) => `meshagent.agent.${t}`);

/** One hostile payload: plausible types with wrong, missing, foreign or oversized fields. */
function hostilePayload(random: () => number, foreignThread: string, foreignTurn: string): unknown {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  // Oversized values are rare: the local room takes ~170 ms per 40 KB message here.
  const value = () =>
    random() < 0.02
      ? "x".repeat(33_000)
      : pick<unknown>([
          null,
          undefined,
          42,
          -1,
          1e308,
          "",
          [],
          {},
          { __proto__: { polluted: true } },
          foreignThread,
          foreignTurn,
          "room:///../../etc/passwd",
          [{ type: "text", text: "hi" }],
          [{ type: "file", url: "javascript:alert(1)" }],
          Array.from({ length: 40 }, () => ({ type: "text", text: "many" })),
        ]);
  const payload: Record<string, unknown> = { type: pick(TYPES) };
  for (const key of [
    "message_id",
    "thread_id",
    "turn_id",
    "item_id",
    "request_id",
    "content",
    "name",
    "limit",
    "load",
    "response",
  ]) {
    if (random() < 0.5) payload[key] = value();
  }
  const shape = random();
  if (shape < 0.1) return { payload };
  if (shape < 0.15) return pick([null, "string", 7, [payload]]);
  return payload;
}

describe("hostile turn-protocol input", () => {
  it(
    "survives 400 malformed, oversized and foreign messages (seed 16), keeps others' threads intact and memory bounded",
    { timeout: 90_000 },
    async () => {
      const running = await startAgent({ turnLimits: { maxThreadsPerOwner: 20 } });
      const turnAgent = running.rooms.get(ROOM)!.turn;
      const alice = await joinTurnBrowser(h, "alice", ROOM);
      const mallory = await joinTurnBrowser(h, "mallory", ROOM);
      const { threadId, turnId } = await alice.startThread("ping");
      await alice.ended(turnId);

      const random = prng(16);
      let sent = 0;
      for (let i = 0; i < 400; i++) {
        await mallory
          .raw(hostilePayload(random, threadId, turnId))
          .then(() => sent++)
          .catch(() => {});
      }
      // mallory also replays alice's exact requests with her own connection
      await mallory.raw(buildClientRequest("meshagent.agent.thread.open", { thread_id: threadId, load: true }));
      await mallory.raw(buildClientRequest("meshagent.agent.thread.delete", { thread_id: threadId }));
      // and floods new threads: the per-sender budget and the per-person cap hold
      for (let i = 0; i < 60; i++) {
        await mallory.raw(buildClientRequest("meshagent.agent.thread.start", { name: `flood ${i}` }));
      }
      sent += 62;
      await waitFor(
        () => turnAgent.counters.handled + turnAgent.counters.ignored + turnAgent.counters.limited >= sent + 1,
        "all handled",
        10_000,
      );
      await turnAgent.idle();

      // alice's thread is untouched and the agent answers her
      const next = await alice.turn(threadId, "ping");
      await alice.ended(next);
      expect(alice.answer(next)).toBe("pong");
      const list = await alice.send("meshagent.agent.thread.list", {});
      const listed = await alice.next("meshagent.agent.thread.listed", (e) => e.source_message_id === list.message_id);
      expect(listed.threads.map((t) => t.path)).toEqual([threadId]);
      expect(
        mallory.events.filter((e) => "thread_id" in e && e.thread_id === threadId && !e.type.endsWith("rejected")),
      ).toEqual([]);
      expect(alice.unparsed).toEqual([]);
      expect(mallory.unparsed).toEqual([]);

      // bounded: mallory holds at most her cap of threads, and nothing runs or waits
      expect((await turnAgent.store.list("mallory")).length).toBeLessThanOrEqual(20);
      expect(turnAgent.counters.ignored).toBeGreaterThan(150);
      expect(logs.filter((line) => line.includes("unexpected error"))).toEqual([]);
    },
  );

  it("ignores turn-protocol messages from other agents, so two agents never answer each other", async () => {
    const running = await startAgent();
    const turnAgent = running.rooms.get(ROOM)!.turn;
    const other = h.open(await sdkToken({ name: "other-agent", room: ROOM, role: "agent" }), `/rooms/${ROOM}`);
    await other.started;
    await other.room.messaging.enable();
    const impostor = new TurnBrowser(other.room);
    await impostor.send("meshagent.agent.thread.start", { content: [{ type: "text", text: "ping" }] });
    await waitFor(() => turnAgent.counters.ignored === 1, "ignored");
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(impostor.events).toEqual([]);
    expect(turnAgent.counters.handled).toBe(0);
  });

  it("caps stored events per thread and text per turn: the oldest turns go, a runaway answer is cut", async () => {
    // a finished turn is stored in 3-5 events (stored-events.ts): these 7 turns pass a cap of 16
    await startAgent({ turnLimits: { maxEventsPerThread: 16, maxTurnText: 500 } });
    const alice = await joinTurnBrowser(h, "alice", ROOM);
    const { threadId, turnId } = await alice.startThread("markdown");
    await alice.ended(turnId);
    // commentary and answer together: 500 characters, then the cut mark
    const text = alice
      .of("meshagent.agent.text_content.delta", (e) => e.turn_id === turnId)
      .map((e) => e.text)
      .join("");
    expect(text.length).toBe(501);
    expect(text.endsWith("…")).toBe(true);
    const turns = [turnId];
    for (let i = 0; i < 6; i++) {
      const next = await alice.turn(threadId, "ping");
      await alice.ended(next);
      turns.push(next);
    }
    await agent.turn().idle();
    const open = await alice.send("meshagent.agent.thread.open", { thread_id: threadId, load: true });
    const before = alice.seen.length;
    await alice.next("meshagent.agent.thread.loaded", (e) => e.source_message_id === open.message_id);
    const replay = alice.seen.slice(before).map((s) => s.event);
    expect(replay.length).toBeLessThanOrEqual(17);
    const replayedTurns = new Set(
      replay.flatMap((e) => (e.type === "meshagent.agent.turn.started" ? [e.turn_id] : [])),
    );
    // the newest turns are kept whole; the oldest went first
    expect(replayedTurns.has(turns[turns.length - 1])).toBe(true);
    expect(replayedTurns.has(turnId)).toBe(false);
  });
});
