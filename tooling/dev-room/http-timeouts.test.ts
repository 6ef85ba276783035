// Connections that never finish their upgrade request are dropped (D18): an
// idle socket and one that drips a header byte every half second.

import net from "node:net";
import { describe, expect, it } from "vitest";
import { useHarness, sdkToken } from "./test-helpers";
import { HTTP_TIMEOUTS } from "./room-limits";

const h = useHarness();

interface Outcome {
  closedAfterMs: number;
  response: string;
}

function connect(): Promise<net.Socket> {
  const { port } = new URL(h.server.url.replace(/^ws/, "http"));
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), "127.0.0.1", () => resolve(socket));
    socket.once("error", reject);
  });
}

function watchClose(socket: net.Socket, started: number): Promise<Outcome> {
  let response = "";
  socket.on("data", (chunk: Buffer) => (response += chunk.toString("latin1")));
  socket.on("error", () => {});
  return new Promise((resolve) =>
    socket.once("close", () => resolve({ closedAfterMs: Date.now() - started, response })),
  );
}

describe("slow or idle upgrade requests (D18)", () => {
  const limit = HTTP_TIMEOUTS.headersTimeoutMs + 2 * HTTP_TIMEOUTS.checkIntervalMs + 1000;

  it("closes a connection that sends nothing", async () => {
    const started = Date.now();
    const outcome = await watchClose(await connect(), started);
    expect(outcome.closedAfterMs).toBeLessThan(limit);
    expect(outcome.closedAfterMs).toBeGreaterThanOrEqual(HTTP_TIMEOUTS.headersTimeoutMs - 100);
  }, 15_000);

  it("closes a connection that drips header bytes, and the room keeps serving others", async () => {
    const token = await sdkToken({ name: "drip" });
    const request =
      `GET /rooms/test?token=${token} HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
      "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n" +
      "X-Pad: " +
      "a".repeat(200);
    const sockets = await Promise.all(Array.from({ length: 20 }, () => connect()));
    const started = Date.now();
    const outcomes = sockets.map((socket) => watchClose(socket, started));
    let offset = 0;
    const drip = setInterval(() => {
      for (const socket of sockets) if (!socket.destroyed) socket.write(request.slice(offset, offset + 8));
      offset += 8;
    }, 500);
    try {
      // Meanwhile an honest client gets in and talks.
      const alice = await h.join("alice");
      const bob = await h.join("bob");
      await alice.messaging.broadcastMessage({ type: "chat", message: { text: "hi" } });
      expect(bob.messaging.remoteParticipants.map((p) => p.getAttribute("name"))).toEqual(["alice"]);
      for (const outcome of await Promise.all(outcomes)) {
        expect(outcome.closedAfterMs).toBeLessThan(limit);
        // Node answers 408 when it can; never a successful upgrade.
        expect(outcome.response).not.toMatch(/^HTTP\/1\.1 101/);
      }
    } finally {
      clearInterval(drip);
    }
    expect(offset).toBeLessThan(request.length); // the drip was still going when the server gave up
    expect(h.names()).toEqual(["alice", "bob"]);
  }, 20_000);
});
