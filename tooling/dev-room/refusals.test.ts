// Connections the server refuses during the HTTP upgrade, the plain HTTP
// endpoints, and the join handshake as seen on the wire.

import net from "node:net";
import { describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { useHarness, SECRET, handToken, rawUpgrade, sdkToken, waitFor, withTimeout } from "./test-helpers";
import { startDevRoomServer } from "./server";

const h = useHarness();

const nowSeconds = (): number => Math.floor(Date.now() / 1000);
const grants = (room = "test") => [
  { name: "room", scope: room },
  { name: "role", scope: "user" },
];

const refusals: Array<{ what: string; jwt: () => Promise<string>; path?: string; status: number; body: string }> = [
  { what: "missing token", jwt: async () => "", status: 403, body: "missing token" },
  {
    what: "bad signature",
    jwt: () => sdkToken({ name: "eve", secret: "not-the-secret" }),
    status: 403,
    body: "invalid token",
  },
  { what: "malformed token", jwt: async () => "not.a.jwt", status: 403, body: "invalid token" },
  {
    what: "wrong algorithm",
    jwt: () => handToken({ name: "eve", grants: grants() }, SECRET, "HS512"),
    status: 403,
    body: "invalid token",
  },
  { what: "no name claim", jwt: () => handToken({ grants: grants() }), status: 403, body: "invalid token" },
  {
    what: "expired token",
    jwt: () => handToken({ name: "eve", grants: grants(), exp: nowSeconds() - 60 }),
    status: 403,
    body: "token expired",
  },
  {
    what: "room grant for another room",
    jwt: () => sdkToken({ name: "eve", room: "other" }),
    status: 403,
    body: "token not valid for room test",
  },
  {
    what: "no room grant",
    jwt: () => handToken({ name: "eve", grants: [{ name: "role", scope: "user" }] }),
    status: 403,
    body: "token not valid for room test",
  },
  {
    what: "a path outside /rooms/<name>",
    jwt: () => sdkToken({ name: "eve" }),
    path: "/nope/test",
    status: 404,
    body: "not found",
  },
];

describe("refused connections", () => {
  for (const refusal of refusals) {
    it(`${refusal.what}: HTTP ${refusal.status} "${refusal.body}", client sees onError + onDone, server keeps serving`, async () => {
      const jwt = await refusal.jwt();
      const path = refusal.path ?? "/rooms/test";
      const query = jwt ? `?token=${encodeURIComponent(jwt)}` : "";
      expect(await rawUpgrade(h.server.url, `${path}${query}`)).toEqual({ status: refusal.status, body: refusal.body });

      const client = h.open(jwt, path);
      await waitFor(() => client.errors.length > 0 && client.done(), "onError and onDone", 2000);
      expect(String((client.errors[0] as { message?: string }).message)).toContain(String(refusal.status));
      expect(h.server.stats()).toEqual({ sockets: 0, rooms: {} });

      const good = await h.join("after");
      expect(good.localParticipant?.id).toBeTruthy();
    });
  }

  it("tolerates a few seconds of clock skew on exp", async () => {
    const jwt = await handToken({ name: "skewed", grants: grants(), exp: nowSeconds() - 2 });
    const client = h.open(jwt);
    await withTimeout(client.started, 1000, "start()");
  });

  it("answers 400 for a room name with broken percent-encoding", async () => {
    const jwt = await sdkToken({ name: "eve" });
    expect(await rawUpgrade(h.server.url, `/rooms/%E0%A4%A?token=${jwt}`)).toEqual({
      status: 400,
      body: "invalid room name encoding",
    });
  });

  it("accepts the token from an Authorization: Bearer header", async () => {
    const jwt = await sdkToken({ name: "py" });
    const socket = new WebSocket(`${h.server.url}/rooms/test`, { headers: { Authorization: `Bearer ${jwt}` } });
    await new Promise((resolve, reject) => {
      socket.once("open", resolve);
      socket.once("error", reject);
    });
    await waitFor(() => h.server.stats().rooms.test?.[0]?.name === "py", "participant in stats");
    socket.terminate();
    await waitFor(() => h.server.stats().sockets === 0, "socket gone");
  });
});

describe("join handshake on the wire", () => {
  it("sends connected then room_ready, and nothing back for set_attributes", async () => {
    const raw = await h.raw(await sdkToken({ name: "wire" }));
    await waitFor(() => raw.received.length >= 2, "greeting");
    const [connected, ready] = raw.received;
    expect(connected.type).toBe("connected");
    const init = raw.headerOf(connected);
    expect(init).toEqual({ type: "init", participantId: expect.any(String), attributes: { name: "wire" } });
    expect(ready.type).toBe("room_ready");
    expect(raw.headerOf(ready)).toEqual({
      room_name: "test",
      room_url: `${h.server.url}/rooms/test`,
      session_id: expect.any(String),
    });
    raw.send("set_attributes", { name: "wire" });
    raw.send("set_attributes", { status: "x", __meshagent__: { v: 1 } });
    const probe = raw.send("room.nothing", {});
    const answer = await raw.next((m) => m.type === "__response__", "a response");
    // The first response is the probe's: set_attributes got none.
    expect(answer.id).toBe(probe);
    expect(raw.headerOf(answer)).toEqual({ type: "error", text: "unsupported request: room.nothing", code: 1003 });
    expect(raw.received).toHaveLength(3);
    expect(raw.streamErrors).toEqual([]);
  });
});

describe("plain HTTP", () => {
  it("serves /stats as uncached JSON (names only for the secret's holder, 19 L8), /healthz, and 404 otherwise", async () => {
    const base = h.server.url.replace(/^ws/, "http");
    await h.join("alice");
    const stats = await fetch(`${base}/stats`, { headers: { Authorization: `Bearer ${SECRET}` } });
    expect(stats.status).toBe(200);
    expect(stats.headers.get("cache-control")).toBe("no-store");
    expect(await stats.json()).toEqual({
      sockets: 1,
      rooms: { test: [{ id: expect.any(String), name: "alice", messaging: true }] },
    });
    const attempts: Record<string, string>[] = [
      {},
      { Authorization: "Bearer wrong-secret" },
      { Authorization: SECRET },
    ];
    for (const headers of attempts) {
      const anonymous = await fetch(`${base}/stats`, { headers });
      const text = await anonymous.text();
      expect(JSON.parse(text)).toEqual({ sockets: 1, rooms: 1, participants: 1 });
      expect(text).not.toContain("alice");
      expect(text).not.toContain("test");
    }
    const health = await fetch(`${base}/healthz`);
    expect([health.status, await health.text()]).toEqual([200, "ok"]);
    expect((await fetch(`${base}/rooms/test`)).status).toBe(404);
    expect((await fetch(`${base}/`)).status).toBe(404);
  });

  it("rejects start-up on a taken port with an actionable message", async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
    const port = (blocker.address() as net.AddressInfo).port;
    try {
      await expect(startDevRoomServer({ port, secret: SECRET })).rejects.toThrow(
        `port ${port} is already in use (set DEV_ROOM_PORT to another port)`,
      );
    } finally {
      blocker.close();
    }
  });

  it("close() frees the port", async () => {
    const port = h.server.port;
    await h.join("alice");
    await h.server.close();
    const again = await startDevRoomServer({ port, secret: SECRET });
    await again.close();
  });
});
