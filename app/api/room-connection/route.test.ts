import { encodeApiKey } from "@meshagent/meshagent";
import { jwtVerify } from "jose";
import type { Session } from "next-auth";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

const session = vi.hoisted(() => ({ current: null as Session | null }));
vi.mock("@/auth", () => ({ auth: async () => session.current }));

const { GET, POST, PUT, PATCH, DELETE } = await import("./route");

const SECRET = "route-test-secret-0123456789abcdef";
const signedIn = (name = "Ada Lovelace", id = "user-1"): Session => ({
  user: { id, name, email: "ada@example.com" },
  expires: new Date(Date.now() + 3_600_000).toISOString(),
});
const get = (query: string) => GET(new Request(`http://localhost/api/room-connection${query}`));

async function verify(jwt: string, secret = SECRET) {
  const { payload } = await jwtVerify(jwt, new TextEncoder().encode(secret), { algorithms: ["HS256"] });
  return payload as Record<string, unknown> & { grants: Array<{ name: string; scope: unknown }>; exp: number };
}

beforeEach(() => {
  vi.unstubAllEnvs();
  for (const name of Object.keys(process.env)) {
    if (name.startsWith("MESHAGENT_") || name.startsWith("DEV_ROOM_") || name.startsWith("AUTH_")) vi.stubEnv(name, "");
  }
  vi.stubEnv("NODE_ENV", "production");
  vi.stubEnv("AUTH_SECRET", "auth-secret");
  vi.stubEnv("MESHAGENT_SECRET", SECRET);
  session.current = signedIn();
});
afterEach(() => vi.unstubAllEnvs());

describe("GET /api/room-connection", () => {
  it("issues { url, jwt } for the signed-in user with no-store caching", async () => {
    const response = await get("?room=lobby");
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store");
    const body = await response.json();
    expect(Object.keys(body).sort()).toEqual(["jwt", "url"]);
    expect(body.url).toBe("wss://api.meshagent.com/rooms/lobby");
  });

  it("signs a token with the session's name, exactly this room, role user, the least scope and a short exp", async () => {
    const before = Math.floor(Date.now() / 1000);
    const { jwt } = await (await get("?room=design-review")).json();
    const claims = await verify(jwt);

    expect(claims.name).toBe("Ada Lovelace");
    expect(claims.grants).toContainEqual({ name: "room", scope: "design-review" });
    expect(claims.grants).toContainEqual({ name: "role", scope: "user" });
    const api = claims.grants.find((grant) => grant.name === "api")?.scope as Record<string, unknown>;
    // Messaging, room files and the one shared notes document; nothing else (no admin, containers, secrets, developer).
    expect(api).toEqual({
      messaging: { broadcast: true, list: true, send: true },
      storage: { paths: [{ path: "files/", readOnly: false }] },
      sync: { paths: [{ path: "notes/shared.notes", readOnly: false }] },
    });
    expect(claims.grants.filter((grant) => grant.name === "room")).toHaveLength(1);
    expect(claims.exp).toBeGreaterThan(before);
    expect(claims.exp).toBeLessThanOrEqual(before + 600 + 1);
  });

  it("honours MESHAGENT_TOKEN_TTL_SECONDS", async () => {
    vi.stubEnv("MESHAGENT_TOKEN_TTL_SECONDS", "60");
    const before = Math.floor(Date.now() / 1000);
    const { jwt } = await (await get("?room=lobby")).json();
    const { exp } = await verify(jwt);
    expect(exp).toBeGreaterThanOrEqual(before + 59);
    expect(exp).toBeLessThanOrEqual(before + 61);
  });

  it("ignores any identity the request claims: name comes from the session only", async () => {
    const { jwt } = await (await get("?room=lobby&name=Mallory&participantName=Mallory")).json();
    expect((await verify(jwt)).name).toBe("Ada Lovelace");
  });

  it("signs with MESHAGENT_API_KEY: key id and project id in the token, secret from the key", async () => {
    const key = {
      id: "6f1c5a8e-2b7d-4c1e-9a3f-0d2e4b6c8a10",
      projectId: "0a9b8c7d-6e5f-4a3b-8c2d-1e0f9a8b7c6d",
      secret: "key-secret-abc-def",
    };
    vi.stubEnv("MESHAGENT_SECRET", "");
    vi.stubEnv("MESHAGENT_API_KEY", encodeApiKey(key));
    vi.stubEnv("MESHAGENT_API_URL", "https://rooms.example.com/");
    const body = await (await get("?room=lobby")).json();
    expect(body.url).toBe("wss://rooms.example.com/rooms/lobby");
    const claims = await verify(body.jwt, key.secret);
    expect(claims.kid).toBe(key.id);
    expect(claims.sub).toBe(key.projectId);
  });

  it("401 JSON when not signed in", async () => {
    session.current = null;
    const response = await get("?room=lobby");
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ code: "unauthorized", message: "Sign in to join a room." });
  });

  it.each([
    ["missing", ""],
    ["empty", "?room="],
    ["uppercase", "?room=Lobby"],
    ["path traversal", "?room=..%2Fadmin"],
    ["spaces", "?room=a%20b"],
    ["too long", `?room=${"a".repeat(65)}`],
    ["leading dash", "?room=-x"],
  ])("400 JSON for a %s room name", async (_label, query) => {
    const response = await get(query);
    expect(response.status).toBe(400);
    const body = await response.json();
    expect(body.code).toBe("invalid_room");
    expect(typeof body.message).toBe("string");
  });

  it("accepts a 64-character room name", async () => {
    expect((await get(`?room=${"a".repeat(64)}`)).status).toBe(200);
  });

  it("403 JSON when MESHAGENT_ROOMS does not list the room", async () => {
    vi.stubEnv("MESHAGENT_ROOMS", "lobby, standup");
    expect((await get("?room=standup")).status).toBe(200);
    const response = await get("?room=secret");
    expect(response.status).toBe(403);
    expect((await response.json()).code).toBe("forbidden");
  });

  it("503 naming the variables when MeshAgent is not configured in production", async () => {
    vi.stubEnv("MESHAGENT_SECRET", "");
    const response = await get("?room=lobby");
    expect(response.status).toBe(503);
    const body = await response.json();
    expect(body.code).toBe("not_configured");
    expect(body.message).toContain("MESHAGENT_API_KEY");
    expect(body.message).not.toMatch(/at .*\(.*:\d+:\d+\)/); // no stack
  });

  it("503 naming AUTH_SECRET when it is missing in production", async () => {
    vi.stubEnv("AUTH_SECRET", "");
    const response = await get("?room=lobby");
    expect(response.status).toBe(503);
    expect((await response.json()).message).toContain("AUTH_SECRET");
  });

  it("503 naming the half-configured variable", async () => {
    vi.stubEnv("MESHAGENT_PROJECT_ID", "p");
    const response = await get("?room=lobby");
    expect(response.status).toBe(503);
    expect((await response.json()).message).toContain("MESHAGENT_KEY_ID");
  });

  it("503 for a malformed MESHAGENT_API_KEY, without echoing it", async () => {
    vi.stubEnv("MESHAGENT_API_KEY", "not-a-key-supersecret");
    const response = await get("?room=lobby");
    expect(response.status).toBe(503);
    const text = await response.text();
    expect(text).toContain("MESHAGENT_API_KEY");
    expect(text).not.toContain("supersecret");
  });

  it("outside production with nothing configured, targets the local dev room with its secret", async () => {
    vi.stubEnv("NODE_ENV", "development");
    vi.stubEnv("MESHAGENT_SECRET", "");
    vi.stubEnv("DEV_ROOM_SECRET", "dev-secret");
    vi.stubEnv("DEV_ROOM_PORT", "7799");
    const body = await (await get("?room=lobby")).json();
    expect(body.url).toBe("ws://127.0.0.1:7799/rooms/lobby");
    await expect(verify(body.jwt, "dev-secret")).resolves.toBeTruthy();
  });

  it("a production build never falls back to the dev room secret", async () => {
    vi.stubEnv("MESHAGENT_SECRET", "");
    vi.stubEnv("DEV_ROOM_SECRET", "dev-secret");
    expect((await get("?room=lobby")).status).toBe(503);
  });

  it("an unexpected failure is a generic 500 JSON, logged, with no stack in the body", async () => {
    const spy = vi.spyOn(console, "error").mockImplementation(() => {});
    session.current = { user: { id: "x", name: "Ada" }, expires: "" } as Session;
    vi.stubEnv("MESHAGENT_TOKEN_TTL_SECONDS", "600");
    const throwing = vi.spyOn(Date.prototype, "getTime").mockImplementationOnce(() => {
      throw new Error("boom at secret place");
    });
    const response = await get("?room=lobby");
    throwing.mockRestore();
    expect(response.status).toBe(500);
    const text = await response.text();
    expect(JSON.parse(text).code).toBe("internal_error");
    expect(text).not.toContain("boom");
    expect(spy).toHaveBeenCalled();
    spy.mockRestore();
  });

  it.each([
    ["POST", POST],
    ["PUT", PUT],
    ["PATCH", PATCH],
    ["DELETE", DELETE],
  ])("405 JSON with Allow: GET for %s", async (_method, handler) => {
    const response = handler();
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe("GET");
    expect((await response.json()).code).toBe("method_not_allowed");
  });
});
