import { describe, expect, it } from "vitest";
import { readEnv } from "@/lib/env";
import { configurationProblems } from "@/lib/server/config-check";

const check = (source: Record<string, string>) => configurationProblems(readEnv(source));

describe("configurationProblems", () => {
  it("a production deployment with nothing set names AUTH_SECRET, a sign-in method and MeshAgent's variables", () => {
    const problems = check({ NODE_ENV: "production" });
    expect(problems).toHaveLength(2);
    expect(problems[0]).toContain("AUTH_SECRET");
    expect(problems[0]).toContain("AUTH_GITHUB_ID");
    expect(problems[0]).toContain("AUTH_URL or AUTH_TRUST_HOST");
    expect(problems[1]).toContain("MESHAGENT_API_KEY");
  });

  it("names AUTH_URL or AUTH_TRUST_HOST when Auth.js could not tell the public origin (a bare 500 otherwise)", () => {
    const complete = { NODE_ENV: "production", AUTH_SECRET: "s", AUTH_DEV_LOGIN: "true", DEV_ROOM_SECRET: "x" };
    const cloud = { MESHAGENT_PROJECT_ID: "p", MESHAGENT_KEY_ID: "k", MESHAGENT_SECRET: "m" };
    expect(check({ ...complete, ...cloud })).toEqual([
      "Sign-in: missing environment variable(s): AUTH_URL or AUTH_TRUST_HOST",
    ]);
    const fixes: Record<string, string>[] = [
      { AUTH_URL: "https://site.example" },
      { AUTH_TRUST_HOST: "true" },
      { TRUST_PROXY: "true" },
      { VERCEL: "1" },
    ];
    for (const fix of fixes) {
      expect(check({ ...complete, ...cloud, ...fix })).toEqual([]);
    }
  });

  it("is empty for a complete cloud + GitHub setup", () => {
    expect(
      check({
        NODE_ENV: "production",
        AUTH_SECRET: "s",
        AUTH_URL: "https://site.example",
        AUTH_GITHUB_ID: "id",
        AUTH_GITHUB_SECRET: "gh",
        MESHAGENT_PROJECT_ID: "p",
        MESHAGENT_KEY_ID: "k",
        MESHAGENT_SECRET: "m",
      }),
    ).toEqual([]);
  });

  it("in development points at `npm run dev` when the local room secret is missing", () => {
    const problems = check({ NODE_ENV: "development" });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain("npm run dev");
  });

  it("names an invalid value (the start-up log line) instead of throwing", () => {
    expect(check({ NODE_ENV: "development", DEV_ROOM_SECRET: "x", MESHAGENT_TOKEN_TTL_SECONDS: "0" })).toEqual([
      expect.stringContaining("MESHAGENT_TOKEN_TTL_SECONDS"),
    ]);
    expect(check({ NODE_ENV: "development", DEV_ROOM_SECRET: "x", AUTH_DEV_LOGIN: "yes" })).toEqual([
      expect.stringMatching(/AUTH_DEV_LOGIN must be "true" or "false"/),
      // It fails closed, so this deployment has no sign-in method left: said too.
      expect.stringContaining("AUTH_GITHUB_ID"),
    ]);
  });

  it("warns when the default room is not in the allow-list", () => {
    expect(check({ NODE_ENV: "development", DEV_ROOM_SECRET: "x", MESHAGENT_ROOMS: "standup,retro" })).toEqual([
      expect.stringContaining('MESHAGENT_DEFAULT_ROOM "lobby" is not in MESHAGENT_ROOMS'),
    ]);
    expect(
      check({
        NODE_ENV: "development",
        DEV_ROOM_SECRET: "x",
        MESHAGENT_ROOMS: "standup",
        MESHAGENT_DEFAULT_ROOM: "standup",
      }),
    ).toEqual([]);
  });
});
