import { encodeApiKey } from "@meshagent/meshagent";
import { describe, expect, it } from "vitest";
import { hasMeshAgentCredentials, readEnv } from "@/lib/env";

const problemsOf = (source: Record<string, string>) => readEnv(source).problems.map((problem) => problem.variable);

describe("readEnv", () => {
  it("has one default for everything optional", () => {
    const { env, problems } = readEnv({});
    expect(problems).toEqual([]);
    expect(env.NODE_ENV).toBe("development");
    expect(env.MESHAGENT_DEFAULT_ROOM).toBe("lobby");
    expect(env.MESHAGENT_TOKEN_TTL_SECONDS).toBe(600);
    expect(env.DEV_ROOM_PORT).toBe(7707);
    expect(env.MESHAGENT_ROOMS).toBeUndefined();
    expect(env.MESHAGENT_ACCOUNTS_URL).toBe("https://api.meshagent.com");
    expect(env.MESHAGENT_ACCOUNTS_TIMEOUT_SECONDS).toBe(10);
    expect(env.MESHAGENT_ROOM_ACCESS).toBe("server");
  });

  it("reads MESHAGENT_ACCOUNTS_URL as a base URL without its trailing slash", () => {
    expect(readEnv({ MESHAGENT_ACCOUNTS_URL: "http://127.0.0.1:4000/" }).env.MESHAGENT_ACCOUNTS_URL).toBe(
      "http://127.0.0.1:4000",
    );
  });

  it("treats blank values as unset and trims the rest", () => {
    const { env } = readEnv({ AUTH_SECRET: "  s  ", DEV_ROOM_SECRET: "   ", DEV_ROOM_PORT: " ", MESHAGENT_SECRET: "" });
    expect(env.AUTH_SECRET).toBe("s");
    expect(env.DEV_ROOM_SECRET).toBeUndefined();
    expect(env.DEV_ROOM_PORT).toBe(7707);
    expect(env.MESHAGENT_SECRET).toBeUndefined();
  });

  it("accepts DEV_ROOM_PORT=0 (any free port), as dev:room documents", () => {
    expect(readEnv({ DEV_ROOM_PORT: "0" })).toMatchObject({ env: { DEV_ROOM_PORT: 0 }, problems: [] });
  });

  it("parses MESHAGENT_ROOMS as a trimmed list of valid room names", () => {
    expect(readEnv({ MESHAGENT_ROOMS: " lobby, standup ,," }).env.MESHAGENT_ROOMS).toEqual(["lobby", "standup"]);
  });

  it.each([
    ["MESHAGENT_ROOMS", "lobby,Bad Room"],
    ["MESHAGENT_TOKEN_TTL_SECONDS", "5"],
    ["MESHAGENT_TOKEN_TTL_SECONDS", "ten"],
    ["MESHAGENT_API_URL", "ftp://example.com"],
    ["MESHAGENT_ACCOUNTS_URL", "wss://api.meshagent.com"],
    ["MESHAGENT_ACCOUNTS_URL", "https://user:pw@api.meshagent.com"],
    ["MESHAGENT_ACCOUNTS_TIMEOUT_SECONDS", "0"],
    ["MESHAGENT_ROOM_ACCESS", "everyone"],
    ["MESHAGENT_API_URL", "https://example.com/?a=1"],
    ["MESHAGENT_API_URL", "https://example.com/x?"],
    ["MESHAGENT_API_URL", "wss://example.com/#f"],
    ["MESHAGENT_API_URL", "https://me:secret@example.com"],
    ["MESHAGENT_API_URL", "not a url"],
    ["MESHAGENT_DEFAULT_ROOM", "Not A Room"],
    ["MESHAGENT_API_KEY", "ma-abc"],
    ["DEV_ROOM_PORT", "70000"],
    ["DEV_ROOM_PORT", "abc"],
    ["DEV_ROOM_URL", "http://127.0.0.1:7707"],
    ["AUTH_DEV_LOGIN", "yes"],
    ["AUTH_DEV_LOGIN", "1"],
    ["RATE_LIMIT_WINDOW_SECONDS", "0"],
    ["RATE_LIMIT_SIGN_IN_PER_IP", "1.5"],
    ["RATE_LIMIT_ROOM_CONNECTION_PER_USER", "ten"],
    ["REDIS_URL", "http://example.com"],
    ["AGENT_NAME", "has/slash"],
    ["AGENT_ROOMS", "Lobby"],
    ["AGENT_ROOMS", Array.from({ length: 33 }, (_, i) => `r${i}`).join(",")],
    ["AGENT_REPLY_TIMEOUT_SECONDS", "0"],
    ["OPENAI_BASE_URL", "ftp://example.com"],
    ["OPENAI_MODEL", "m".repeat(201)],
    ["AGENT_MODEL_STREAMING", "maybe"],
    ["DEV_AGENT", "no"],
  ])("names %s for %j instead of throwing", (name, value) => {
    const { problems } = readEnv({ [name]: value });
    expect(problems.map((problem) => problem.variable)).toEqual([name]);
    expect(problems[0].message).toContain(name);
    if (name !== "MESHAGENT_API_URL" || !value.includes("secret")) return;
    expect(problems[0].message).not.toContain("secret@");
  });

  it("reads the rate limits, Redis and the demo agent's variables, each with one default", () => {
    const { env } = readEnv({});
    expect(env).toMatchObject({
      RATE_LIMIT_WINDOW_SECONDS: 60,
      RATE_LIMIT_ROOM_CONNECTION_PER_USER: 60,
      RATE_LIMIT_ROOM_CONNECTION_PER_IP: 300,
      RATE_LIMIT_SIGN_IN_PER_NAME: 10,
      RATE_LIMIT_SIGN_IN_PER_IP: 60,
      AGENT_NAME: "assistant",
      AGENT_REPLY_TIMEOUT_SECONDS: 60,
      OPENAI_MODEL: "gpt-4o-mini",
      AGENT_MODEL_STREAMING: true,
      DEV_AGENT: true,
    });
    expect(env.REDIS_URL).toBeUndefined();
    expect(env.AGENT_ROOMS).toBeUndefined();
    const set = readEnv({
      REDIS_URL: " rediss://default:pw@example.upstash.io:6379 ",
      AGENT_ROOMS: "lobby, standup",
      AGENT_MODEL_STREAMING: "FALSE",
      OPENAI_BASE_URL: "http://127.0.0.1:11434/v1/",
    });
    expect(set.problems).toEqual([]);
    expect(set.env).toMatchObject({
      REDIS_URL: "rediss://default:pw@example.upstash.io:6379",
      AGENT_ROOMS: ["lobby", "standup"],
      AGENT_MODEL_STREAMING: false,
      OPENAI_BASE_URL: "http://127.0.0.1:11434/v1",
    });
  });

  it("keeps a base URL's path and drops its trailing slash", () => {
    expect(readEnv({ MESHAGENT_API_URL: "https://rooms.example.com/base/" }).env.MESHAGENT_API_URL).toBe(
      "https://rooms.example.com/base",
    );
  });

  it("an invalid value falls back safely: dev sign-in off, the default, or unset", () => {
    const { env } = readEnv({
      AUTH_DEV_LOGIN: "yes",
      MESHAGENT_TOKEN_TTL_SECONDS: "ten",
      MESHAGENT_API_URL: "ftp://x",
    });
    expect(env.AUTH_DEV_LOGIN).toBe("false");
    expect(env.MESHAGENT_TOKEN_TTL_SECONDS).toBe(600);
    expect(env.MESHAGENT_API_URL).toBeUndefined();
  });

  it("a production server ignores the dev-only variables", () => {
    expect(problemsOf({ NODE_ENV: "production", DEV_ROOM_PORT: "abc", DEV_ROOM_URL: "x" })).toEqual([]);
    const { env } = readEnv({ NODE_ENV: "production", DEV_ROOM_SECRET: "dev", DEV_ROOM_URL: "ws://x:1" });
    expect(env.DEV_ROOM_SECRET).toBeUndefined();
    expect(env.DEV_ROOM_URL).toBeUndefined();
  });

  describe("MESHAGENT_API_KEY", () => {
    const key = { id: "6f1c5a8e-2b7d-4c1e-9a3f-0d2e4b6c8a10", projectId: "0a9b8c7d-6e5f-4a3b-8c2d-1e0f9a8b7c6d" };
    const id = encodeApiKey({ ...key, secret: "x" }).slice(0, -2);
    it("decodes a complete key", () => {
      expect(readEnv({ MESHAGENT_API_KEY: `${id}-secret` }).env.MESHAGENT_API_KEY).toEqual({
        ...key,
        secret: "secret",
      });
    });

    it.each([`${id}-`, `${id}`, `${id}-a b`, "ma-x-y-z", "sk-whatever"])("refuses %j without echoing it", (key) => {
      const { problems } = readEnv({ MESHAGENT_API_KEY: key });
      expect(problems.map((problem) => problem.variable)).toEqual(["MESHAGENT_API_KEY"]);
      expect(problems[0].message).not.toContain(key);
    });

    it("an invalid key still counts as MeshAgent credentials: the local room is not used instead", () => {
      expect(hasMeshAgentCredentials(readEnv({ MESHAGENT_API_KEY: `${id}-` }))).toBe(true);
      expect(hasMeshAgentCredentials(readEnv({}))).toBe(false);
    });
  });
});
