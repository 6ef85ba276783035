import http from "node:http";
import type { AddressInfo } from "node:net";
import { decode } from "next-auth/jwt";
import { afterEach, describe, expect, it, vi } from "vitest";
import { warmUpDevServer } from "./warm-up";

const SECRET = "warm-up-test-secret-0123456789abcdef";

interface Seen {
  path: string;
  cookie: string | undefined;
}

/** A stand-in for `next dev` serving this app: the room is behind sign-in; a page loads a chunk that names a lazy chunk. */
function startServer(behaveLikeThisApp: boolean): Promise<{ port: number; seen: Seen[]; close(): Promise<void> }> {
  const seen: Seen[] = [];
  const server = http.createServer((request, response) => {
    const url = request.url ?? "/";
    seen.push({ path: url, cookie: request.headers.cookie });
    if (!behaveLikeThisApp) {
      response.end("hello");
      return;
    }
    if (url === "/rooms/lobby" && !request.headers.cookie) {
      response.writeHead(307, { location: "/signin?callbackUrl=%2Frooms%2Flobby" }).end();
      return;
    }
    if (url === "/rooms/lobby") {
      response.end('<html><script src="/_next/static/chunks/room.js" async></script></html>');
      return;
    }
    if (url === "/_next/static/chunks/room.js") {
      response.end('loadChunk("static/chunks/sdk-lazy.js")');
      return;
    }
    response.end("ok");
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () =>
      resolve({
        port: (server.address() as AddressInfo).port,
        seen,
        close: () => new Promise<void>((done) => server.close(() => done())),
      }),
    ),
  );
}

afterEach(() => {
  vi.unstubAllEnvs();
});

describe("warmUpDevServer", () => {
  it("requests home, sign-in, the room with a session for a warm-up user, its credentials and the chunks it names", async () => {
    const server = await startServer(true);
    vi.spyOn(console, "log").mockImplementation(() => {});
    try {
      const warmed = await warmUpDevServer({
        args: ["-p", String(server.port), "-H", "127.0.0.1"],
        authSecret: SECRET,
        room: "lobby",
      });
      expect(warmed).toBe(true);
      const paths = server.seen.map((s) => s.path);
      expect(paths).toEqual(
        expect.arrayContaining([
          "/",
          "/signin",
          "/rooms/lobby",
          "/api/room-connection?room=lobby",
          "/_next/static/chunks/room.js",
          "/_next/static/chunks/sdk-lazy.js",
        ]),
      );
      const roomWithCookie = server.seen.find((s) => s.path === "/rooms/lobby" && s.cookie);
      const value = roomWithCookie?.cookie?.match(/authjs\.session-token=([^;]+)/)?.[1];
      const token = await decode({ token: value, secret: SECRET, salt: "authjs.session-token" });
      expect(token).toMatchObject({ name: "warm-up", sub: "warm-up" });
    } finally {
      vi.restoreAllMocks();
      await server.close();
    }
  });

  it("sends no cookie to a server that is not this app", async () => {
    const server = await startServer(false);
    try {
      const warmed = await warmUpDevServer({
        args: ["--port", String(server.port)],
        authSecret: SECRET,
        room: "lobby",
      });
      expect(warmed).toBe(false);
      expect(server.seen.length).toBeGreaterThan(0);
      expect(server.seen.every((s) => s.cookie === undefined)).toBe(true);
    } finally {
      await server.close();
    }
  });

  it("does nothing when DEV_WARM_UP=false", async () => {
    const server = await startServer(true);
    vi.stubEnv("DEV_WARM_UP", "false");
    try {
      const warmed = await warmUpDevServer({ args: [`--port=${server.port}`], authSecret: SECRET, room: "lobby" });
      expect(warmed).toBe(false);
      expect(server.seen).toEqual([]);
    } finally {
      await server.close();
    }
  });
});
