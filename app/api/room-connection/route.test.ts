import { encodeApiKey } from "@meshagent/meshagent";
import { jwtVerify } from "jose";
import { encode, type JWT } from "next-auth/jwt";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { DELETE, GET, OPTIONS, PATCH, POST, PUT } from "./route";

const SECRET = "route-test-secret-0123456789abcdef";
const AUTH_SECRET = "auth-secret-for-the-route-test";
const COOKIE = "authjs.session-token";

/** A real Auth.js session cookie, encrypted exactly as Auth.js does at sign-in. */
async function sessionCookie(token: JWT, { secret = AUTH_SECRET, name = COOKIE, maxAge = 3600 } = {}) {
  return `${name}=${await encode({ token, secret, salt: name, maxAge })}`;
}
const ada: JWT = { sub: "user-1", name: "Ada Lovelace", email: "ada@example.com" };
const session = { cookie: "" as string | null };

const get = (query: string, headers: Record<string, string> = {}) =>
  GET(
    new Request(`http://localhost/api/room-connection${query}`, {
      headers: { "x-forwarded-proto": "http", ...(session.cookie ? { cookie: session.cookie } : {}), ...headers },
    }),
  );

/** The lobby's 503 not_configured answer (JSON with a code and a message, never a stack), as raw text. */
async function notConfigured(): Promise<string> {
  const response = await get("?room=lobby");
  expect(response.status).toBe(503);
  const text = await response.text();
  expect(JSON.parse(text).code).toBe("not_configured");
  expect(text).not.toMatch(/at .*\(.*:\d+:\d+\)/);
  return text;
}

async function verify(jwt: string, secret = SECRET) {
  const { payload } = await jwtVerify(jwt, new TextEncoder().encode(secret), { algorithms: ["HS256"] });
  return payload as Record<string, unknown> & { grants: Array<{ name: string; scope: unknown }>; exp: number };
}

beforeEach(async () => {
  vi.unstubAllEnvs();
  for (const name of Object.keys(process.env)) {
    if (name.startsWith("MESHAGENT_") || name.startsWith("DEV_ROOM_") || name.startsWith("AUTH_")) vi.stubEnv(name, "");
  }
  vi.stubEnv("NODE_ENV", "production");
  vi.stubEnv("AUTH_SECRET", AUTH_SECRET);
  vi.stubEnv("MESHAGENT_SECRET", SECRET);
  session.cookie = await sessionCookie(ada);
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
    // Messaging, room files, the room documents (shared notes, poll) and hosting a private toolkit (the browser's `ui`);
    // nothing else (no admin, containers, secrets, developer, no calling others' tools).
    expect(api).toEqual({
      messaging: { broadcast: true, list: true, send: true },
      storage: { paths: [{ path: "files/", readOnly: false }] },
      sync: {
        paths: [
          { path: "notes/shared.notes", readOnly: false },
          { path: "poll/current.poll", readOnly: false },
        ],
      },
      agents: {
        registerAgent: false,
        registerPublicToolkit: false,
        registerPrivateToolkit: true,
        call: false,
        useAgents: false,
        useTools: false,
      },
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
    session.cookie = null;
    const response = await get("?room=lobby");
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ code: "unauthorized", message: "Sign in to join a room." });
  });

  it.each([
    ["sealed with another secret", () => sessionCookie(ada, { secret: "someone-elses-secret" })],
    ["expired", () => sessionCookie(ada, { maxAge: -60 })],
    ["tampered", async () => `${(await sessionCookie(ada)).slice(0, -4)}AAAA`],
    ["garbage", async () => `${COOKIE}=eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0.tampered.garbage`],
    ["without a subject", () => sessionCookie({ name: "Ada" })],
  ])("401 for a session cookie %s", async (_label, cookie) => {
    session.cookie = await cookie();
    const response = await get("?room=lobby");
    expect(response.status).toBe(401);
    expect((await response.json()).code).toBe("unauthorized");
  });

  it("never takes the session from an Authorization header", async () => {
    const token = (await sessionCookie(ada)).split("=")[1];
    session.cookie = null;
    expect((await get("?room=lobby", { authorization: `Bearer ${token}` })).status).toBe(401);
  });

  it("reads the __Secure- cookie over https, as Auth.js names it there, and only that one", async () => {
    const secure = await sessionCookie(ada, { name: `__Secure-${COOKIE}` });
    session.cookie = secure;
    expect((await get("?room=lobby", { "x-forwarded-proto": "https" })).status).toBe(200);
    expect((await get("?room=lobby", { "x-forwarded-proto": "http" })).status).toBe(401);
    session.cookie = await sessionCookie(ada);
    expect((await get("?room=lobby", { "x-forwarded-proto": "https" })).status).toBe(401);
    // AUTH_URL decides when it is set, as it does for Auth.js.
    vi.stubEnv("AUTH_URL", "https://app.example.com");
    session.cookie = secure;
    expect((await get("?room=lobby", { "x-forwarded-proto": "http" })).status).toBe(200);
  });

  it("reads a session cookie Auth.js split into chunks", async () => {
    const big = await sessionCookie({ ...ada, picture: "x".repeat(5000) });
    const value = big.slice(COOKIE.length + 1);
    const half = Math.ceil(value.length / 2);
    session.cookie = `${COOKIE}.0=${value.slice(0, half)}; ${COOKIE}.1=${value.slice(half)}`;
    const { jwt } = await (await get("?room=lobby")).json();
    expect((await verify(jwt)).name).toBe("Ada Lovelace");
  });

  it("names the participant by email, then id, when the session has no name", async () => {
    session.cookie = await sessionCookie({ sub: "gh-42", email: "grace@example.com" });
    expect((await verify((await (await get("?room=lobby")).json()).jwt)).name).toBe("grace@example.com");
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
    expect(await notConfigured()).toContain("MESHAGENT_API_KEY");
  });

  it("503 naming AUTH_SECRET when it is missing in production", async () => {
    vi.stubEnv("AUTH_SECRET", "");
    expect(await notConfigured()).toContain("AUTH_SECRET");
  });

  it("503 naming the half-configured variable", async () => {
    vi.stubEnv("MESHAGENT_PROJECT_ID", "p");
    expect(await notConfigured()).toContain("MESHAGENT_KEY_ID");
  });

  it("503 for a malformed MESHAGENT_API_KEY, without echoing it", async () => {
    vi.stubEnv("MESHAGENT_API_KEY", "not-a-key-supersecret");
    const text = await notConfigured();
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

  it.each([
    ["AUTH_DEV_LOGIN", "yes"],
    ["AUTH_DEV_LOGIN", "1"],
    ["MESHAGENT_API_URL", "https://rooms.example.com/?token=x"],
    ["MESHAGENT_API_URL", "https://rooms.example.com/#x"],
    ["MESHAGENT_API_URL", "https://user:pass@rooms.example.com"],
    ["MESHAGENT_API_URL", "ftp://rooms.example.com"],
    ["MESHAGENT_TOKEN_TTL_SECONDS", "ten"],
  ])("503 naming %s for the bad value %j, never a 500", async (name, value) => {
    vi.stubEnv(name, value);
    const text = await notConfigured();
    expect(text).toContain(name);
    expect(text).not.toContain("pass@");
  });

  it.each([
    ["an empty secret", "-"],
    ["a secret with a space", "-abc def"],
  ])("503 for a MESHAGENT_API_KEY with %s, never signing with another secret", async (_label, tail) => {
    const id = encodeApiKey({
      id: "6f1c5a8e-2b7d-4c1e-9a3f-0d2e4b6c8a10",
      projectId: "0a9b8c7d-6e5f-4a3b-8c2d-1e0f9a8b7c6d",
      secret: "x",
    });
    vi.stubEnv("MESHAGENT_API_KEY", `${id.slice(0, -2)}${tail}`);
    expect(await notConfigured()).toContain("MESHAGENT_API_KEY");
  });

  it("a production server ignores the dev-only DEV_ROOM_* variables, even invalid ones", async () => {
    vi.stubEnv("DEV_ROOM_PORT", "abc");
    vi.stubEnv("DEV_ROOM_URL", "not a url");
    expect((await get("?room=lobby")).status).toBe(200);
  });

  it("ignores the demo agent's variables, even invalid ones: they belong to another program", async () => {
    vi.stubEnv("OPENAI_BASE_URL", "ftp://x");
    vi.stubEnv("AGENT_NAME", "has/slash");
    expect((await get("?room=lobby")).status).toBe(200);
  });

  it("an unexpected failure is a generic 500 JSON, logged, with no stack in the body", async () => {
    const spy = vi.spyOn(console, "error").mockImplementation(() => {});
    // A secret no earlier test used, so the signing key is imported (and fails) now, after the session was read.
    vi.stubEnv("MESHAGENT_SECRET", "a-fresh-secret-for-this-test");
    const importKey = crypto.subtle.importKey.bind(crypto.subtle);
    const throwing = vi
      .spyOn(crypto.subtle, "importKey")
      .mockImplementation(((...args: Parameters<typeof importKey>) =>
        (args[2] as HmacImportParams).hash === "SHA-256"
          ? Promise.reject(new Error("boom at secret place"))
          : importKey(...args)) as typeof importKey);
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
    ["OPTIONS", OPTIONS],
  ])("405 JSON with Allow: GET for %s", async (_method, handler) => {
    const response = handler();
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe("GET");
    expect((await response.json()).code).toBe("method_not_allowed");
  });
});
