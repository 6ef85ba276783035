// A fast sender pays for its own speed (D7): it is slowed to the pace of the
// slowest reader in the room instead of getting that reader evicted or its
// messages dropped. Only a reader that stops reading for good is closed.

import { describe, expect, it } from "vitest";
import type { WebSocket } from "ws";
import type { RoomClient, RoomMessageEvent } from "@meshagent/meshagent";
import { useHarness, sdkToken, waitFor, withTimeout, type RawClient } from "./test-helpers";
import { FLOW_LIMITS } from "./room-limits";

const h = useHarness({ start: false });

const MB = 1_000_000;

/** The ws socket inside the SDK's channel (isomorphic-ws is ws under Node), to simulate a busy browser tab. */
function sdkSocket(room: RoomClient): WebSocket {
  return (room.protocol as unknown as { channel: { webSocket: WebSocket } }).channel.webSocket;
}

function broadcastInput(seq: number, size: number) {
  return {
    toolkit: "messaging",
    tool: "broadcast",
    arguments: { type: "json", json: { type: "bulk", message_json: JSON.stringify({ seq, text: "b".repeat(size) }) } },
  };
}

/** Sends `count` broadcasts back to back without waiting for answers, as a hostile client would. */
async function blast(raw: RawClient, count: number, size: number): Promise<number[]> {
  raw.send("room.invoke_tool", { toolkit: "messaging", tool: "enable", arguments: { type: "json", json: {} } });
  const ids: number[] = [];
  for (let seq = 0; seq < count; seq++) ids.push(raw.send("room.invoke_tool", broadcastInput(seq, size)));
  return ids;
}

function answered(raw: RawClient, ids: number[]): number {
  const wanted = new Set(ids);
  return raw.received.filter((m) => m.type === "__response__" && wanted.has(m.id)).length;
}

describe("sender-side flow control (D7)", () => {
  it("50 broadcasts of 1 MB reach a slow peer completely; the peer is not closed; the backlog stays bounded", async () => {
    await h.start();
    const peer = h.open(await sdkToken({ name: "peer" }));
    await withTimeout(peer.started, 2000, "peer start()");
    await peer.room.messaging.enable();
    const got: number[] = [];
    peer.room.messaging.on("message", (e: RoomMessageEvent) => {
      if (e.message.type === "bulk") got.push(e.message.message.seq);
    });

    // The peer's tab is busy until the server has had to slow the sender down (at most 10 s;
    // without flow control the backlog would have hit the eviction limit by then), then reads
    // again at its own pace.
    const socket = sdkSocket(peer.room);
    socket.pause();

    const rssBefore = process.memoryUsage().rss;
    let rssPeak = rssBefore;
    let pausedSeen = 0;
    const sampler = setInterval(() => {
      rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
      pausedSeen = Math.max(pausedSeen, h.server.usage().pausedSenders);
    }, 20);
    const started = Date.now();
    try {
      const sender = await h.raw(await sdkToken({ name: "fast" }));
      const ids = await blast(sender, 50, MB);
      await waitFor(() => h.server.usage().pausedSenders > 0, "sender paused", 10_000).catch(() => {});
      socket.resume();
      await waitFor(() => got.length === 50, "all 50 broadcasts at the peer", 60_000);
      await waitFor(() => answered(sender, ids) === 50, "all 50 answered", 5000);
      expect(sender.received.filter((m) => m.type === "__response__").map((m) => sender.headerOf(m))).toEqual(
        Array.from({ length: 51 }, () => ({ type: "empty" })),
      );
    } finally {
      clearInterval(sampler);
    }
    expect(got).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(peer.done()).toBe(false);
    expect(peer.errors).toEqual([]);
    expect(h.names()).toEqual(["fast", "peer"]);
    const { peakSocketBacklogBytes } = h.server.usage();
    console.info(
      `D7: 50 x 1 MB to a peer that stops reading until the sender is paused: ${got.length}/50 delivered in ${Date.now() - started} ms, ` +
        `sender paused (max ${pausedSeen} at once), peak per-socket backlog ${(peakSocketBacklogBytes / 2 ** 20).toFixed(1)} MiB, ` +
        `test-process RSS peak +${((rssPeak - rssBefore) / 2 ** 20).toFixed(0)} MB (server + both clients)`,
    );
    expect(pausedSeen).toBeGreaterThan(0);
    // High-water mark plus what was already in flight when the sender was paused.
    expect(peakSocketBacklogBytes).toBeLessThan(FLOW_LIMITS.highWaterBytes + 4 * 2 ** 20);
  }, 90_000);

  it("a reader that never reads again is closed after the stall time; everyone else gets everything", async () => {
    await h.start({ flowLimits: { stallMs: 1000 } });
    const honest = await h.join("honest");
    const got: number[] = [];
    honest.messaging.on("message", (e: RoomMessageEvent) => {
      if (e.message.type === "bulk") got.push(e.message.message.seq);
    });
    const stuck = await h.raw(await sdkToken({ name: "stuck" }));
    stuck.send("room.invoke_tool", { toolkit: "messaging", tool: "enable", arguments: { type: "json", json: {} } });
    await waitFor(() => honest.messaging.remoteParticipants.length === 1, "stuck at honest");
    stuck.socket.pause();

    const sender = await h.raw(await sdkToken({ name: "fast" }));
    const ids = await blast(sender, 60, MB / 4);
    await waitFor(() => got.length === 60, `all 60 at the honest reader (got ${got.length})`, 30_000);
    await waitFor(() => answered(sender, ids) === 60, "all answered", 5000);
    expect(got).toEqual(Array.from({ length: 60 }, (_, i) => i));
    await waitFor(() => h.server.stats().rooms.test.length === 2, "stuck reader removed", 5000);
    stuck.socket.resume();
    await waitFor(() => stuck.closeCode !== null, "stuck socket closed");
    expect([stuck.closeCode, stuck.closeReason]).toEqual([1008, "slow consumer"]);
    expect(h.names()).toEqual(["fast", "honest"]);
  }, 60_000);

  it("a reader that stops reading pauses only who writes to it, not the rest of the room (19 M3)", async () => {
    // Long enough that eviction cannot be what lets the others through.
    await h.start({ flowLimits: { stallMs: 60_000 } });
    const a1 = h.open(await sdkToken({ name: "alice" }));
    await withTimeout(a1.started, 2000, "a1 start()");
    await a1.room.messaging.enable();
    const bob = await h.join("bob");
    const a1Id = a1.room.localParticipant!.id;
    await waitFor(() => bob.messaging.getParticipant(a1Id) !== null, "a1 at bob");
    sdkSocket(a1.room).pause();

    // A second socket of the same user floods the first with direct messages.
    const a2 = await h.raw(await sdkToken({ name: "alice" }));
    a2.send("room.invoke_tool", { toolkit: "messaging", tool: "enable", arguments: { type: "json", json: {} } });
    const text = "d".repeat(MB);
    for (let seq = 0; seq < 30; seq++) {
      a2.send("room.invoke_tool", {
        toolkit: "messaging",
        tool: "send",
        arguments: {
          type: "json",
          json: { to_participant_id: a1Id, type: "bulk", message_json: JSON.stringify({ seq, text }) },
        },
      });
    }
    await waitFor(() => h.server.usage().pausedSenders > 0, "the flooding socket paused", 10_000);

    // Everyone else keeps talking to the room at normal speed while A1 is stuck.
    const latencies: number[] = [];
    for (let i = 0; i < 10; i++) {
      const sent = performance.now();
      await withTimeout(bob.storage.exists(`probe-${i}.txt`), 3000, `bob's request ${i}`);
      latencies.push(performance.now() - sent);
    }
    await withTimeout(bob.messaging.broadcastMessage({ type: "still-here", message: {} }), 3000, "bob's broadcast");
    expect(h.server.usage().pausedSenders).toBe(1);
    console.info(
      `19 M3: while one socket is paused behind a stuck reader, another participant's requests take ` +
        `${Math.min(...latencies).toFixed(1)}-${Math.max(...latencies).toFixed(1)} ms`,
    );

    // The stuck reader reads again and gets everything; the flooder goes on.
    const got: number[] = [];
    a1.room.messaging.on("message", (e: RoomMessageEvent) => {
      if (e.message.type === "bulk") got.push(e.message.message.seq);
    });
    sdkSocket(a1.room).resume();
    await waitFor(() => got.length === 30, `all 30 at a1 (got ${got.length})`, 60_000);
    expect(got).toEqual(Array.from({ length: 30 }, (_, i) => i));
    await waitFor(() => h.server.usage().pausedSenders === 0, "nobody paused");
  }, 90_000);
});
