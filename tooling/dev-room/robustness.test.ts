// Hostile or broken peers affect only their own socket: error answers, closes
// with 1007/1009, seeded fuzzing next to a live chat, join/leave churn, heartbeat.

import { beforeEach, describe, expect, it } from "vitest";
import { RoomServerException, type RoomClient, type RoomMessageEvent } from "@meshagent/meshagent";
import { useHarness, RawClient, rawDataPacket, rawHeaderPacket, sdkToken, waitFor, withTimeout } from "./test-helpers";
import { prng } from "../testing/prng";
import { encodeMessage, packMessage } from "./framing";

const h = useHarness({ start: false });

async function response(raw: RawClient, id: number) {
  const message = await raw.next((m) => m.type === "__response__" && m.id === id, `response ${id}`);
  return raw.headerOf(message);
}

async function closed(raw: RawClient): Promise<{ code: number | null; reason: string }> {
  await waitFor(() => raw.closeCode !== null, "server close");
  return { code: raw.closeCode, reason: raw.closeReason };
}

describe("protocol errors", () => {
  beforeEach(async () => {
    await h.start({ maxMessageBytes: 8192 });
  });

  it("answers an oversized request with an error and keeps the socket usable", async () => {
    const raw = await h.raw(await sdkToken({ name: "big" }));
    raw.sendFrame(rawHeaderPacket(40, 1_000_000, "room.invoke_tool"));
    raw.sendFrame(rawDataPacket(40, 1, new Uint8Array(1024)));
    expect(await response(raw, 40)).toEqual({
      type: "error",
      text: "message too large (limit 8192 bytes)",
      code: 1002,
    });
    const probe = raw.send("room.invoke_tool", {
      toolkit: "messaging",
      tool: "enable",
      arguments: { type: "json", json: {} },
    });
    expect(await response(raw, probe)).toEqual({ type: "empty" });
  });

  it("answers out-of-order packets, bad bodies and bad arguments with errors", async () => {
    const raw = await h.raw(await sdkToken({ name: "bad" }));
    raw.sendFrame(rawHeaderPacket(50, 3, "room.invoke_tool"));
    raw.sendFrame(rawDataPacket(50, 2, new Uint8Array(10)));
    expect(await response(raw, 50)).toMatchObject({
      type: "error",
      code: 1002,
      text: expect.stringMatching(/^malformed message/),
    });
    for (const frame of encodeMessage({
      id: 51,
      type: "room.invoke_tool",
      data: new Uint8Array([0, 0, 0, 0, 0, 0, 0, 2, 123, 120]),
    })) {
      raw.sendFrame(frame);
    }
    expect(await response(raw, 51)).toMatchObject({ type: "error", code: 1002 });
    const badBase64 = raw.send("room.invoke_tool", {
      toolkit: "messaging",
      tool: "broadcast",
      arguments: { type: "json", json: { type: "x", message_json: "{}", attachment_base64: "***" } },
    });
    expect(await response(raw, badBase64)).toMatchObject({ type: "error", code: 1002 });
    expect(raw.open).toBe(true);
  });

  it("closes with 1007 on text frames and unparseable frames, 1009 on oversized frames", async () => {
    const cases: Array<[Uint8Array | string, number, string]> = [
      ["hello", 1007, "text frames are not supported"],
      [new Uint8Array(5), 1007, "malformed frame (malformed_packet)"],
      [new Uint8Array(2000), 1009, "frame over 1036 bytes"],
      [new Uint8Array(200 * 1024), 1009, ""], // refused by ws before it is buffered
    ];
    for (const [frame, code, reason] of cases) {
      const raw = await h.raw(await sdkToken({ name: "rude" }));
      raw.sendFrame(frame);
      expect(await closed(raw)).toEqual({ code, reason });
    }
    await waitFor(() => h.server.stats().sockets === 0, "sockets released");
    expect(h.server.stats().rooms).toEqual({});
  });

  it("closes a socket after too many protocol errors", async () => {
    const raw = await h.raw(await sdkToken({ name: "noisy" }));
    for (let i = 0; i < 40; i++) raw.sendFrame(rawDataPacket(9, 1 + i, new Uint8Array(4)));
    expect(await closed(raw)).toEqual({ code: 1007, reason: "too many protocol errors" });
  });

  it("a real client that sends a too-large message gets an error and keeps working", async () => {
    const alice = await h.join("alice");
    const bob = await h.join("bob");
    const atBob: RoomMessageEvent[] = [];
    bob.messaging.on("message", (e: RoomMessageEvent) => e.message.type === "chat" && atBob.push(e));
    const error = await withTimeout(
      alice.messaging
        .broadcastMessage({ type: "chat", message: { text: "x".repeat(20_000) } })
        .catch((e: unknown) => e),
      2000,
      "oversized broadcast",
    );
    expect(error).toBeInstanceOf(RoomServerException);
    expect((error as RoomServerException).message).toBe("message too large (limit 8192 bytes)");
    await alice.messaging.broadcastMessage({ type: "chat", message: { text: "small" } });
    await waitFor(() => atBob.length === 1, "small broadcast");
    expect(atBob[0].message.message.text).toBe("small");
  });
});

describe("fuzzing next to a live chat", () => {
  it("survives thousands of hostile frames; chat delivered exactly once; nothing leaks", async () => {
    await h.start();
    const rng = prng(0x5eed);
    const int = (n: number) => Math.floor(rng() * n);
    const randomBytes = (n: number) => Uint8Array.from({ length: n }, () => int(256));
    const garbageType = () => String.fromCharCode(...Array.from({ length: 1 + int(20) }, () => 33 + int(90)));
    const started = Date.now();

    const alice = await h.join("alice");
    const bob = await h.join("bob");
    const chatAt = (room: RoomClient, type: string) => {
      const seen: number[] = [];
      room.messaging.on(
        "message",
        (e: RoomMessageEvent) => e.message.type === type && seen.push(e.message.message.seq),
      );
      return seen;
    };
    const atBob = chatAt(bob, "chat-a");
    const atAlice = chatAt(alice, "chat-b");
    await waitFor(() => alice.messaging.getParticipant(bob.localParticipant!.id) !== null, "bob at alice");
    const bobAtAlice = alice.messaging.getParticipant(bob.localParticipant!.id)!;

    const CHAT = 100;
    const chat = Promise.all([
      (async () => {
        for (let seq = 0; seq < CHAT; seq++) {
          await alice.messaging.sendMessage({
            to: bobAtAlice,
            type: "chat-a",
            message: { seq, pad: "a".repeat(seq * 20) },
          });
        }
      })(),
      (async () => {
        for (let seq = 0; seq < CHAT; seq++) await bob.messaging.broadcastMessage({ type: "chat-b", message: { seq } });
      })(),
    ]);

    const token = await sdkToken({ name: "fuzz" });
    const raws: RawClient[] = [];
    for (let i = 0; i < 4; i++) raws.push(await h.raw(token));
    const allRaws = [...raws];
    // Frames the server answers or drops while keeping the socket...
    const recoverable: Array<() => Uint8Array[]> = [
      () => [randomBytes(16 + int(64))],
      () => {
        const frames = encodeMessage({ id: int(1000), type: "room.invoke_tool", data: randomBytes(int(3000)) });
        const frame = frames[int(frames.length)];
        return [frame.subarray(0, Math.max(16, int(frame.length + 1)))];
      },
      () => [
        rawHeaderPacket(int(1000), 0xffffffff - int(1000), "room.invoke_tool"),
        rawDataPacket(0, 1, randomBytes(100)),
      ],
      () => [
        rawHeaderPacket(7, 3, "room.invoke_tool"),
        rawDataPacket(7, 2, randomBytes(10)),
        rawDataPacket(7, 1, randomBytes(10)),
      ],
      () => encodeMessage({ id: int(1000), type: "room.invoke_tool", data: randomBytes(8 + int(40)) }),
      () => encodeMessage({ id: int(1000), type: garbageType(), data: packMessage({ a: int(5) }) }),
      () =>
        encodeMessage({
          id: int(1000),
          type: "room.invoke_tool",
          data: packMessage({
            toolkit: ["messaging", "nope", 42][int(3)],
            tool: ["enable", "disable", "send", "broadcast", "x"][int(5)],
            arguments: [
              { type: "json", json: { to_participant_id: "ghost", type: "fuzz", message_json: '{"x":1}' } },
              { type: "text" },
              null,
            ][int(3)],
          }),
        }),
      () => encodeMessage({ id: int(1000), type: "set_attributes", data: packMessage({ [garbageType()]: rng() }) }),
    ];
    // ...and frames that make it close the socket (1007 / 1009).
    const fatal: Array<() => Array<Uint8Array | string>> = [
      () => [randomBytes(int(12))],
      () => [String.fromCharCode(...Array.from({ length: int(30) }, () => int(0x3000)))],
      () => [randomBytes(9000)],
    ];
    const pick = <T>(list: T[]): T => list[int(list.length)];

    let frames = 0;
    while (frames < 3000) {
      const slot = int(raws.length);
      if (!raws[slot].open) {
        raws[slot] = await h.raw(token);
        allRaws.push(raws[slot]);
      }
      for (const frame of rng() < 0.03 ? pick(fatal)() : pick(recoverable)()) {
        raws[slot].sendFrame(frame);
        frames++;
      }
      if (frames % 40 === 0) await new Promise((resolve) => setTimeout(resolve, 0));
    }

    await withTimeout(chat, 8000, "chat");
    await waitFor(() => atBob.length >= CHAT && atAlice.length >= CHAT, "all chat messages", 3000);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const range = Array.from({ length: CHAT }, (_, i) => i);
    expect(atBob).toEqual(range);
    expect(atAlice).toEqual(range);

    // Both real clients are still connected and talking.
    await alice.messaging.sendMessage({ to: bobAtAlice, type: "chat-a", message: { seq: CHAT } });
    await waitFor(() => atBob.length === CHAT + 1, "final message");
    expect(allRaws.flatMap((r) => r.streamErrors)).toEqual([]);
    expect(allRaws.length).toBeGreaterThan(4); // some fuzz sockets were closed by the server

    for (const raw of allRaws) raw.socket.terminate();
    await waitFor(() => h.server.stats().sockets === 2, "raw sockets released");
    expect(h.names()).toEqual(["alice", "bob"]);
    expect(alice.messaging.remoteParticipants.map((p) => p.getAttribute("name"))).toEqual(["bob"]);
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});

describe("churn and heartbeat", () => {
  it("200 connect/dispose cycles leave no participant behind", async () => {
    await h.start();
    const watcher = await h.join("watcher");
    for (let batch = 0; batch < 10; batch++) {
      const clients = await Promise.all(
        Array.from({ length: 20 }, (_, i) => h.join(`churn-${batch}-${i}`, { enable: i % 2 === 0 })),
      );
      for (const client of clients) h.dispose(client);
    }
    await waitFor(() => h.server.stats().sockets === 1, "churned sockets released", 5000);
    await waitFor(() => watcher.messaging.remoteParticipants.length === 0, "watcher sees nobody");
    h.dispose(watcher);
    await waitFor(() => h.server.stats().sockets === 0, "watcher released");
    expect(h.server.stats()).toEqual({ sockets: 0, rooms: {} });
  });

  it("terminates sockets that stop answering pings, keeps live ones", async () => {
    await h.start({ pingIntervalMs: 100 });
    const live = h.open(await sdkToken({ name: "live" }));
    await withTimeout(live.started, 1000, "start()");
    const deaf = await h.raw(await sdkToken({ name: "deaf" }), "/rooms/test", { autoPong: false });
    await waitFor(() => h.server.stats().sockets === 2, "both connected");
    await waitFor(() => deaf.closeCode !== null, "deaf socket terminated", 1000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(live.done()).toBe(false);
    expect(h.server.stats().rooms.test.map((p) => p.name)).toEqual(["live"]);
  });
});
