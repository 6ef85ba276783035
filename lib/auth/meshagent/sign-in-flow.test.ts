import { jwtVerify } from "jose";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { CookieJar } from "@/e2e/support/auth-http";
import { startMeshAgentAccounts, type MeshAgentAccountsStandIn } from "@/tooling/testing/meshagent-accounts";
import { freePort } from "@/tooling/testing/redis-server";

/**
 * "Sign in with MeshAgent" through the real Auth.js route (app/api/auth, with
 * its wrapper) against the local stand-in for MeshAgent's accounts API: every
 * redirect followed by hand, cookies kept in a jar, nothing mocked.
 */
const ORIGIN = "http://localhost:3000";
const AUTH_SECRET = "meshagent-flow-test-secret-0123456789";
const ROOM_SECRET = "room-secret-for-the-stand-in";
let standIn: MeshAgentAccountsStandIn;

type Handler = (request: NextRequest) => Promise<Response>;
let route: { GET: Handler; POST: Handler };
let credentials: (request: Request) => Promise<Response>;

async function loadRoute(env: Record<string, string | undefined> = {}) {
  vi.resetModules();
  vi.unstubAllEnvs();
  for (const name of Object.keys(process.env)) {
    if (name.startsWith("MESHAGENT_") || name.startsWith("AUTH_") || name.startsWith("DEV_ROOM_")) {
      vi.stubEnv(name, undefined);
    }
  }
  const base: Record<string, string> = {
    NODE_ENV: "production",
    AUTH_SECRET,
    AUTH_URL: ORIGIN,
    AUTH_MESHAGENT_ID: standIn.clientId,
    AUTH_MESHAGENT_SECRET: standIn.clientSecret,
    MESHAGENT_ACCOUNTS_URL: standIn.url,
    MESHAGENT_ACCOUNTS_TIMEOUT_SECONDS: "1",
    MESHAGENT_SECRET: ROOM_SECRET,
    RATE_LIMIT_SIGN_IN_PER_IP: "100000",
    RATE_LIMIT_SIGN_IN_PER_NAME: "100000",
  };
  for (const [name, value] of Object.entries({ ...base, ...env })) vi.stubEnv(name, value);
  route = await import("@/app/api/auth/[...nextauth]/route");
  credentials = (await import("@/app/api/room-connection/route")).GET;
}

async function call(method: "GET" | "POST", url: string, jar: CookieJar, body?: URLSearchParams) {
  const headers: Record<string, string> = { cookie: jar.header() };
  if (body) headers["content-type"] = "application/x-www-form-urlencoded";
  const request = new NextRequest(new URL(url, ORIGIN), { method, headers, body });
  const response = await route[method](request);
  jar.store(response);
  return response;
}

/** Starts a sign-in (as the sign-in page's button does), returns the authorize URL MeshAgent is sent. */
async function start(jar: CookieJar, callbackUrl = "/rooms/lobby"): Promise<URL> {
  const csrf = await (await call("GET", "/api/auth/csrf", jar)).json();
  const response = await call(
    "POST",
    "/api/auth/signin/meshagent",
    jar,
    new URLSearchParams({ csrfToken: csrf.csrfToken, callbackUrl }),
  );
  expect(response.status).toBe(302);
  return new URL(response.headers.get("location")!);
}

/** The browser at MeshAgent: it redirects straight back with a code. */
async function atMeshAgent(authorize: URL): Promise<string> {
  const response = await fetch(authorize, { redirect: "manual" });
  expect(response.status).toBe(302);
  return response.headers.get("location")!;
}

async function session(jar: CookieJar) {
  return (await call("GET", "/api/auth/session", jar)).json();
}

/** A whole sign-in; returns where the app sent the browser at the end. */
async function signIn(jar: CookieJar, callbackUrl?: string): Promise<URL> {
  const back = await atMeshAgent(await start(jar, callbackUrl));
  const response = await call("GET", back, jar);
  expect(response.status).toBe(302);
  return new URL(response.headers.get("location")!, ORIGIN);
}

beforeAll(async () => {
  standIn = await startMeshAgentAccounts({ roomSecret: ROOM_SECRET, roomApiUrl: "ws://127.0.0.1:7999" });
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await standIn.close();
});
beforeEach(async () => {
  Object.assign(standIn.behaviour, {
    authorize: "ok",
    token: "ok",
    refresh: "ok",
    profile: { id: "u-1", email: "ada@example.com", first_name: "Ada", last_name: "Lovelace" },
    accessTokenSeconds: 3600,
  });
  await loadRoute();
});

describe("Sign in with MeshAgent", () => {
  it("sends the person to MeshAgent with PKCE S256, state, the scopes and the registered redirect URI", async () => {
    const authorize = await start(new CookieJar());
    expect(authorize.origin + authorize.pathname).toBe(`${standIn.url}/oauth/authorize`);
    const params = authorize.searchParams;
    expect(params.get("response_type")).toBe("code");
    expect(params.get("client_id")).toBe(standIn.clientId);
    expect(params.get("redirect_uri")).toBe(`${ORIGIN}/api/auth/callback/meshagent`);
    expect(params.get("code_challenge_method")).toBe("S256");
    expect(params.get("code_challenge")).toMatch(/^[\w-]{43}$/);
    expect(params.get("state")).toBeTruthy();
    expect(params.get("scope")).toBe("profile:read");
  });

  it("asks for room scopes too when MeshAgent decides room access", async () => {
    await loadRoute({ MESHAGENT_ROOM_ACCESS: "user", MESHAGENT_PROJECT_ID: standIn.projectId });
    const scope = (await start(new CookieJar())).searchParams.get("scope");
    expect(scope).toBe("profile:read rooms:read rooms:connect project/* room/*");
  });

  it("comes back signed in as meshagent:<id> with the person's name, and the session holds no MeshAgent token", async () => {
    const jar = new CookieJar();
    const landed = await signIn(jar);
    expect(landed.pathname).toBe("/rooms/lobby");
    const body = await session(jar);
    expect(body.user).toEqual({ id: "meshagent:u-1", name: "Ada Lovelace" });
    const text = JSON.stringify(body);
    for (const secret of standIn.issuedTokens()) expect(text).not.toContain(secret);
    expect(standIn.log.tokenGrants.at(-1)).toEqual({ grant: "authorization_code", outcome: "ok" });
  });

  it("uses the email when the profile has no name", async () => {
    standIn.behaviour.profile = { id: "u-2", email: "grace@example.com" };
    const jar = new CookieJar();
    await signIn(jar);
    expect((await session(jar)).user).toEqual({ id: "meshagent:u-2", name: "grace@example.com" });
  });

  it("bounds an oversized name, and keeps a '<' that is not markup", async () => {
    standIn.behaviour.profile = { id: "u-3", first_name: "Eve <3", last_name: "x".repeat(5000) };
    const jar = new CookieJar();
    await signIn(jar);
    const { name } = (await session(jar)).user;
    expect(name.startsWith("Eve <3 x")).toBe(true);
    expect([...name].length).toBeLessThanOrEqual(41);
  });

  it("keeps callbackUrl on this site", async () => {
    expect((await signIn(new CookieJar(), "https://evil.example/steal")).href).toBe(`${ORIGIN}/`);
  });
});

describe("bad input: a clear error code on the sign-in page, nobody signed in", () => {
  async function failedSignIn(jar = new CookieJar(), back?: string): Promise<string | null> {
    const callback = back ?? (await atMeshAgent(await start(jar)));
    const response = await call("GET", callback, jar);
    expect(response.status).toBe(302);
    const location = new URL(response.headers.get("location")!, ORIGIN);
    expect(location.pathname).toBe("/signin");
    expect((await session(jar))?.user).toBeUndefined();
    return location.searchParams.get("error");
  }

  it("a state that does not match the browser's", async () => {
    standIn.behaviour.authorize = "wrong-state";
    expect(await failedSignIn()).toBe("MeshAgentCheck");
  });

  it("a callback in a browser that never started the sign-in (no state or PKCE cookie)", async () => {
    const back = await atMeshAgent(await start(new CookieJar()));
    expect(await failedSignIn(new CookieJar(), back)).toBe("MeshAgentCheck");
  });

  it("a PKCE verifier that does not match the challenge (another sign-in's verifier)", async () => {
    const mine = new CookieJar();
    const theirs = new CookieJar();
    const back = await atMeshAgent(await start(mine));
    await start(theirs);
    // Same state cookie, another attempt's PKCE cookie: only the token endpoint can notice.
    const pkce = theirs.names().find((name) => name.includes("pkce"))!;
    mine.set(pkce, theirs.get(pkce)!);
    expect(await failedSignIn(mine, back)).toBe("MeshAgentCodeRefused");
    expect(standIn.log.tokenGrants.at(-1)?.outcome).toBe("pkce mismatch");
  });

  it("a replayed code", async () => {
    await signIn(new CookieJar());
    standIn.behaviour.authorize = "replay-last-code";
    expect(await failedSignIn()).toBe("MeshAgentCodeRefused");
    expect(standIn.log.tokenGrants.at(-1)?.outcome).toBe("replayed");
  });

  it.each([
    [400, "MeshAgentCodeRefused"],
    [401, "MeshAgentClient"],
    [500, "MeshAgentUnavailable"],
    ["hang", "MeshAgentTimeout"],
  ] as const)("the token endpoint answering %s", async (answer, code) => {
    standIn.behaviour.token = answer;
    expect(await failedSignIn()).toBe(code);
  });

  it("a wrong client secret (misconfigured provider)", async () => {
    await loadRoute({ AUTH_MESHAGENT_SECRET: "not-the-secret" });
    expect(await failedSignIn()).toBe("MeshAgentClient");
  });

  it("MeshAgent unreachable (wrong MESHAGENT_ACCOUNTS_URL)", async () => {
    // A port nothing listens on.
    await loadRoute({ MESHAGENT_ACCOUNTS_URL: `http://127.0.0.1:${await freePort()}` });
    const jar = new CookieJar();
    const authorize = await start(jar);
    const back = await atMeshAgent(new URL(authorize.pathname + authorize.search, standIn.url));
    expect(await failedSignIn(jar, back)).toBe("MeshAgentUnavailable");
  });

  it("MeshAgent refusing the sign-in (access_denied)", async () => {
    standIn.behaviour.authorize = "deny";
    expect(await failedSignIn()).toBe("OAuthCallbackError");
  });

  it("a profile without an id", async () => {
    standIn.behaviour.profile = { email: "noid@example.com", first_name: "No" };
    expect(await failedSignIn()).toBe("MeshAgentProfile");
  });

  it.each(["<img src=x onerror=alert(1)>Eve", "Eve</b>", "<!-- x -->Eve", "<svg/onload=alert(1)>"])(
    "markup in the name: %s",
    async (firstName) => {
      standIn.behaviour.profile = { id: "u-4", first_name: firstName, last_name: "Q" };
      expect(await failedSignIn()).toBe("MeshAgentProfileMarkup");
    },
  );

  it("an oversized profile", async () => {
    standIn.behaviour.profile = "oversized";
    expect(await failedSignIn()).toBe("MeshAgentProfileTooLarge");
  });
});

describe("the MeshAgent access token", () => {
  it("is refreshed before it expires, and the session stays signed in", async () => {
    standIn.behaviour.accessTokenSeconds = 30; // inside the refresh margin at once
    const jar = new CookieJar();
    await signIn(jar);
    const before = standIn.log.tokenGrants.filter((grant) => grant.grant === "refresh_token").length;
    expect((await session(jar)).user.id).toBe("meshagent:u-1");
    const refreshes = standIn.log.tokenGrants.filter((grant) => grant.grant === "refresh_token");
    expect(refreshes.length).toBe(before + 1);
    expect(refreshes.at(-1)?.outcome).toBe("ok");
  });

  it("a refresh MeshAgent refuses ends the session and says why", async () => {
    standIn.behaviour.accessTokenSeconds = 30;
    const jar = new CookieJar();
    await signIn(jar);
    standIn.behaviour.refresh = "fail";
    const body = await session(jar);
    expect(body.user).toBeUndefined();
    expect(body.error).toBe("SessionExpired");
    standIn.behaviour.refresh = "ok";
    expect((await session(jar)).user).toBeUndefined();
  });
});

describe("MESHAGENT_ROOM_ACCESS=user: MeshAgent issues the room token with the person's own token", () => {
  const USER_MODE = () => ({ MESHAGENT_ROOM_ACCESS: "user", MESHAGENT_PROJECT_ID: standIn.projectId });

  async function roomConnection(jar: CookieJar, room = "lobby") {
    const response = await credentials(
      new Request(`${ORIGIN}/api/room-connection?room=${room}`, { headers: { cookie: jar.header() } }),
    );
    jar.store(response);
    return response;
  }

  it("answers MeshAgent's { jwt, room_url } for the person, asked with their current access token", async () => {
    await loadRoute(USER_MODE());
    const jar = new CookieJar();
    await signIn(jar);
    const response = await roomConnection(jar);
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body.url).toBe("ws://127.0.0.1:7999/rooms/lobby");
    const { payload } = await jwtVerify(body.jwt, new TextEncoder().encode(ROOM_SECRET));
    expect(payload.name).toBe("Ada Lovelace");
    const connect = standIn.log.connects.at(-1)!;
    expect(connect).toMatchObject({ room: "lobby", userId: "u-1" });
    expect(standIn.isCurrent(connect.accessToken)).toBe(true);
  });

  it("refreshes a token that is about to expire first, and sends the renewed cookie back", async () => {
    await loadRoute(USER_MODE());
    standIn.behaviour.accessTokenSeconds = 30;
    const jar = new CookieJar();
    await signIn(jar);
    const refreshes = () => standIn.log.tokenGrants.filter((grant) => grant.grant === "refresh_token").length;
    const before = refreshes();
    const cookieBefore = jar.header();
    const response = await roomConnection(jar);
    expect(response.status).toBe(200);
    expect(refreshes()).toBeGreaterThan(before);
    expect(response.headers.getSetCookie().some((line) => line.includes("session-token"))).toBe(true);
    expect(jar.header()).not.toBe(cookieBefore);
    // The connect call carried the renewed token (the stand-in rotates them: the old one is no longer current).
    expect(standIn.isCurrent(standIn.log.connects.at(-1)!.accessToken)).toBe(true);
  });

  it("a refused refresh: 401, and the session is over", async () => {
    await loadRoute(USER_MODE());
    standIn.behaviour.accessTokenSeconds = 30;
    const jar = new CookieJar();
    await signIn(jar);
    standIn.behaviour.refresh = "fail";
    const response = await roomConnection(jar);
    expect(response.status).toBe(401);
    expect((await response.json()).message).toMatch(/MeshAgent sign-in has expired/);
    expect((await session(jar)).user).toBeUndefined();
  });

  it("someone signed in another way gets a clear 403", async () => {
    await loadRoute({ ...USER_MODE(), AUTH_DEV_LOGIN: "true" });
    const jar = new CookieJar();
    const csrf = await (await call("GET", "/api/auth/csrf", jar)).json();
    await call(
      "POST",
      "/api/auth/callback/dev-login",
      jar,
      new URLSearchParams({ csrfToken: csrf.csrfToken, name: "Dev" }),
    );
    const response = await roomConnection(jar);
    expect(response.status).toBe(403);
    expect(await response.json()).toEqual({
      code: "forbidden",
      message: expect.stringMatching(/sign in with MeshAgent/),
    });
  });

  it("a room MeshAgent refuses is a 403; MeshAgent down is a 502, never a 500", async () => {
    await loadRoute(USER_MODE());
    const jar = new CookieJar();
    await signIn(jar);
    standIn.behaviour.forbiddenRooms = ["secret-room"];
    expect((await roomConnection(jar, "secret-room")).status).toBe(403);
    standIn.behaviour.forbiddenRooms = [];
    await loadRoute({ ...USER_MODE(), MESHAGENT_ACCOUNTS_URL: `http://127.0.0.1:${await freePort()}` });
    const response = await roomConnection(jar);
    expect(response.status).toBe(502);
    expect((await response.json()).code).toBe("upstream_unavailable");
  });

  it("without a project it says which variable to set", async () => {
    await loadRoute({ MESHAGENT_ROOM_ACCESS: "user" });
    const jar = new CookieJar();
    await signIn(jar);
    const response = await roomConnection(jar);
    expect(response.status).toBe(503);
    expect((await response.json()).message).toMatch(/MESHAGENT_PROJECT_ID/);
  });
});
