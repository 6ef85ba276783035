import { encode } from "next-auth/jwt";
import { NextRequest } from "next/server";
import { afterEach, describe, expect, it, vi } from "vitest";

/** Which sign-in providers the real Auth.js config (auth.ts) offers, for a given environment. */
async function providersFor(env: Record<string, string>): Promise<string[]> {
  vi.resetModules();
  vi.unstubAllEnvs();
  for (const name of [
    "AUTH_DEV_LOGIN",
    "AUTH_GITHUB_ID",
    "AUTH_GITHUB_SECRET",
    "AUTH_MESHAGENT_ID",
    "AUTH_MESHAGENT_SECRET",
    "VERCEL_ENV",
    "AUTH_URL",
  ])
    vi.stubEnv(name, undefined);
  vi.stubEnv("AUTH_SECRET", "test-secret");
  vi.stubEnv("AUTH_TRUST_HOST", "true");
  for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
  const { handlers } = await import("@/auth");
  const response = await handlers.GET(new NextRequest("http://localhost:3000/api/auth/providers"));
  expect(response.status, await response.clone().text()).toBe(200);
  return Object.keys(await response.json()).sort();
}

afterEach(() => vi.unstubAllEnvs());

describe("sign-in providers (auth.ts)", () => {
  it("development: dev sign-in on by default", async () => {
    expect(await providersFor({ NODE_ENV: "development" })).toEqual(["dev-login"]);
  });

  it("production: dev sign-in off unless AUTH_DEV_LOGIN=true", async () => {
    expect(await providersFor({ NODE_ENV: "production", AUTH_GITHUB_ID: "id", AUTH_GITHUB_SECRET: "s" })).toEqual([
      "github",
    ]);
    expect(await providersFor({ NODE_ENV: "production", AUTH_DEV_LOGIN: "true" })).toEqual(["dev-login"]);
  });

  it("a Vercel production deployment never offers dev sign-in", async () => {
    const env = {
      NODE_ENV: "production",
      VERCEL_ENV: "production",
      AUTH_DEV_LOGIN: "true",
      AUTH_GITHUB_ID: "id",
      AUTH_GITHUB_SECRET: "s",
    };
    expect(await providersFor(env)).toEqual(["github"]);
  });

  it("an invalid AUTH_DEV_LOGIN never takes sign-in down: dev sign-in off, GitHub still offered", async () => {
    for (const value of ["yes", "1"]) {
      expect(
        await providersFor({
          NODE_ENV: "production",
          AUTH_DEV_LOGIN: value,
          AUTH_GITHUB_ID: "i",
          AUTH_GITHUB_SECRET: "s",
        }),
      ).toEqual(["github"]);
      expect(await providersFor({ NODE_ENV: "development", AUTH_DEV_LOGIN: value })).toEqual([]);
    }
  });

  it("MeshAgent only when both of its variables are set", async () => {
    expect(await providersFor({ NODE_ENV: "production", AUTH_MESHAGENT_ID: "id" })).toEqual([]);
    expect(await providersFor({ NODE_ENV: "production", AUTH_MESHAGENT_ID: "id", AUTH_MESHAGENT_SECRET: "s" })).toEqual(
      ["meshagent"],
    );
  });

  it("GitHub only when both of its variables are set", async () => {
    expect(await providersFor({ NODE_ENV: "development", AUTH_GITHUB_ID: "id" })).toEqual(["dev-login"]);
    expect(await providersFor({ NODE_ENV: "development", AUTH_GITHUB_ID: "id", AUTH_GITHUB_SECRET: "s" })).toEqual([
      "dev-login",
      "github",
    ]);
  });
});

describe("the session Auth.js hands out", () => {
  it("has exactly the user the credentials route derives from the same cookie", async () => {
    await providersFor({ NODE_ENV: "development" });
    const { handlers } = await import("@/auth");
    const { readSessionUser } = await import("@/lib/auth/session-cookie");
    const { readEnv } = await import("@/lib/env");
    const cookie = `authjs.session-token=${await encode({
      token: { sub: "dev:ada", name: "Ada", email: null, picture: null },
      secret: "test-secret",
      salt: "authjs.session-token",
    })}`;
    const request = new NextRequest("http://localhost:3000/api/auth/session", { headers: { cookie } });
    const session = await (await handlers.GET(request)).json();
    expect(session.user).toEqual({ id: "dev:ada", name: "Ada" });
    const headers = new Headers({ cookie, "x-forwarded-proto": "http" });
    expect(await readSessionUser(headers, readEnv().env)).toEqual(session.user);
  });
});
