import { describe, expect, it } from "vitest";
import { authConfigProblems, isDevLoginEnabled, isProviderEnabled } from "@/lib/auth/policy";
import { readEnv } from "@/lib/env";

const env = (source: Record<string, string>) => readEnv(source).env;
const devLogin = (source: Record<string, string>) => isDevLoginEnabled(env(source));

describe("dev sign-in switch", () => {
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

  it("an invalid value turns it off (fails closed), even in development", () => {
    for (const value of ["1", "yes", "on"]) {
      expect(devLogin({ NODE_ENV: "production", AUTH_DEV_LOGIN: value })).toBe(false);
      expect(devLogin({ NODE_ENV: "development", AUTH_DEV_LOGIN: value })).toBe(false);
    }
  });

  it("stays off on a Vercel production deployment even when AUTH_DEV_LOGIN=true", () => {
    expect(devLogin({ NODE_ENV: "production", AUTH_DEV_LOGIN: "true", VERCEL_ENV: "production" })).toBe(false);
    expect(devLogin({ NODE_ENV: "production", AUTH_DEV_LOGIN: "true", VERCEL_ENV: "preview" })).toBe(true);
  });
});

describe("isProviderEnabled", () => {
  it("only names providers that are on", () => {
    const dev = env({ NODE_ENV: "development" });
    expect(isProviderEnabled(dev, "dev-login")).toBe(true);
    expect(isProviderEnabled(dev, "github")).toBe(false);
    expect(isProviderEnabled(dev, "credentials")).toBe(false);
    expect(isProviderEnabled(env({ AUTH_GITHUB_ID: "i", AUTH_GITHUB_SECRET: "s" }), "github")).toBe(true);
  });
});

describe("authConfigProblems", () => {
  it("names AUTH_SECRET in production", () => {
    expect(
      authConfigProblems(env({ NODE_ENV: "production", AUTH_DEV_LOGIN: "true", AUTH_TRUST_HOST: "true" })),
    ).toEqual(["AUTH_SECRET"]);
  });

  it("names the missing half of the GitHub pair", () => {
    expect(authConfigProblems(env({ NODE_ENV: "development", AUTH_GITHUB_ID: "id" }))).toEqual(["AUTH_GITHUB_SECRET"]);
  });

  it("says when no sign-in method is on at all", () => {
    expect(authConfigProblems(env({ NODE_ENV: "production", AUTH_SECRET: "s", VERCEL: "1" }))).toEqual([
      "AUTH_GITHUB_ID",
      "AUTH_GITHUB_SECRET",
    ]);
  });

  it("names the missing half of the MeshAgent pair, and asks for it when MeshAgent decides room access", () => {
    expect(authConfigProblems(env({ NODE_ENV: "development", AUTH_MESHAGENT_ID: "id" }))).toEqual([
      "AUTH_MESHAGENT_SECRET",
    ]);
    expect(authConfigProblems(env({ NODE_ENV: "development", MESHAGENT_ROOM_ACCESS: "user" }))).toEqual([
      "AUTH_MESHAGENT_ID",
      "AUTH_MESHAGENT_SECRET",
    ]);
  });

  it("MeshAgent alone is a complete sign-in setup", () => {
    const meshagent = {
      NODE_ENV: "production",
      AUTH_SECRET: "s",
      AUTH_URL: "https://site.example",
      AUTH_MESHAGENT_ID: "i",
      AUTH_MESHAGENT_SECRET: "m",
    };
    expect(authConfigProblems(env(meshagent))).toEqual([]);
    expect(isProviderEnabled(env(meshagent), "meshagent")).toBe(true);
    expect(isProviderEnabled(env({ AUTH_MESHAGENT_ID: "i" }), "meshagent")).toBe(false);
  });

  it("is empty for a complete GitHub setup", () => {
    const complete = env({
      NODE_ENV: "production",
      AUTH_SECRET: "s",
      AUTH_URL: "https://site.example",
      AUTH_GITHUB_ID: "i",
      AUTH_GITHUB_SECRET: "g",
    });
    expect(authConfigProblems(complete)).toEqual([]);
  });
});
