import { describe, expect, it } from "vitest";
import { authConfigProblems, isDevLoginEnabled, readAuthEnv, readMeshAgentEnv } from "@/lib/env";
import { ConfigError } from "@/lib/errors";

describe("dev sign-in switch", () => {
  const devLogin = (env: Record<string, string>) => isDevLoginEnabled(readAuthEnv(env));

  it("is on by default in development and can be turned off", () => {
    expect(devLogin({ NODE_ENV: "development" })).toBe(true);
    expect(devLogin({ NODE_ENV: "development", AUTH_DEV_LOGIN: "false" })).toBe(false);
  });

  it("is off in production builds unless AUTH_DEV_LOGIN=true exactly", () => {
    expect(devLogin({ NODE_ENV: "production" })).toBe(false);
    expect(devLogin({ NODE_ENV: "production", AUTH_DEV_LOGIN: "" })).toBe(false);
    expect(devLogin({ NODE_ENV: "production", AUTH_DEV_LOGIN: "true" })).toBe(true);
    expect(devLogin({ NODE_ENV: "production", AUTH_DEV_LOGIN: "TRUE " })).toBe(true);
  });

  it("rejects anything but true/false instead of guessing", () => {
    expect(() => readAuthEnv({ NODE_ENV: "production", AUTH_DEV_LOGIN: "1" })).toThrow(ConfigError);
    expect(() => readAuthEnv({ NODE_ENV: "production", AUTH_DEV_LOGIN: "yes" })).toThrow(/AUTH_DEV_LOGIN/);
  });

  it("stays off on a Vercel production deployment even when AUTH_DEV_LOGIN=true", () => {
    expect(devLogin({ NODE_ENV: "production", AUTH_DEV_LOGIN: "true", VERCEL_ENV: "production" })).toBe(false);
    expect(devLogin({ NODE_ENV: "production", AUTH_DEV_LOGIN: "true", VERCEL_ENV: "preview" })).toBe(true);
  });
});

describe("authConfigProblems", () => {
  it("names AUTH_SECRET in production", () => {
    expect(authConfigProblems(readAuthEnv({ NODE_ENV: "production", AUTH_DEV_LOGIN: "true" }))).toEqual([
      "AUTH_SECRET",
    ]);
  });

  it("names the missing half of the GitHub pair", () => {
    expect(authConfigProblems(readAuthEnv({ NODE_ENV: "development", AUTH_GITHUB_ID: "id" }))).toEqual([
      "AUTH_GITHUB_SECRET",
    ]);
  });

  it("says when no sign-in method is on at all", () => {
    expect(authConfigProblems(readAuthEnv({ NODE_ENV: "production", AUTH_SECRET: "s" }))).toEqual([
      "AUTH_GITHUB_ID",
      "AUTH_GITHUB_SECRET",
    ]);
  });

  it("is empty for a complete GitHub setup", () => {
    const env = readAuthEnv({ NODE_ENV: "production", AUTH_SECRET: "s", AUTH_GITHUB_ID: "i", AUTH_GITHUB_SECRET: "g" });
    expect(authConfigProblems(env)).toEqual([]);
  });
});

describe("readMeshAgentEnv", () => {
  it("has defaults for everything optional", () => {
    const env = readMeshAgentEnv({});
    expect(env.MESHAGENT_DEFAULT_ROOM).toBe("lobby");
    expect(env.MESHAGENT_TOKEN_TTL_SECONDS).toBe(600);
    expect(env.DEV_ROOM_PORT).toBe(7707);
    expect(env.MESHAGENT_ROOMS).toBeUndefined();
  });

  it("parses MESHAGENT_ROOMS as a trimmed list of valid room names", () => {
    expect(readMeshAgentEnv({ MESHAGENT_ROOMS: " lobby, standup ,," }).MESHAGENT_ROOMS).toEqual(["lobby", "standup"]);
  });

  it.each([
    ["MESHAGENT_ROOMS", "lobby,Bad Room"],
    ["MESHAGENT_TOKEN_TTL_SECONDS", "5"],
    ["MESHAGENT_TOKEN_TTL_SECONDS", "ten"],
    ["MESHAGENT_API_URL", "ftp://example.com"],
    ["MESHAGENT_DEFAULT_ROOM", "Not A Room"],
    ["DEV_ROOM_PORT", "70000"],
  ])("names %s when it is invalid (%s)", (name, value) => {
    try {
      readMeshAgentEnv({ [name]: value });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).variables).toEqual([name]);
      expect((error as ConfigError).message).toContain(name);
    }
  });
});
