import { decodeJwt } from "jose";
import { encodeApiKey } from "@meshagent/meshagent";
import { describe, expect, it } from "vitest";
import { verifyRoomToken } from "../tooling/dev-room/token";
import { AgentConfigError, agentRooms, readAgentEnv } from "./env";
import { brainFromEnv, demoAgentOptionsFromEnv } from "./index";
import { resolveRoomTarget, roomUrl, signAgentToken } from "./token";

const KEY = {
  id: "6f1c5a8e-2b7d-4c1e-9a3f-0d2e4b6c8a10",
  projectId: "0a9b8c7d-6e5f-4a3b-8c2d-1e0f9a8b7c6d",
  secret: "key-secret-abc-def",
};
const NO_ROOT = "/nonexistent-repo-root";

function configError(source: Record<string, string>): AgentConfigError {
  try {
    readAgentEnv(source);
  } catch (error) {
    expect(error).toBeInstanceOf(AgentConfigError);
    return error as AgentConfigError;
  }
  throw new Error("expected a config error");
}

describe("agent env", () => {
  it("defaults: agent 'assistant' in the default room, offline brain, 60 s replies", () => {
    const env = readAgentEnv({});
    expect(env.AGENT_NAME).toBe("assistant");
    expect(agentRooms(env)).toEqual(["lobby"]);
    expect(agentRooms(readAgentEnv({ MESHAGENT_DEFAULT_ROOM: "hall" }))).toEqual(["hall"]);
    expect(env.AGENT_REPLY_TIMEOUT_SECONDS).toBe(60);
    expect(env.DEV_AGENT).toBe(true);
    expect(brainFromEnv(env).description).toMatch(/offline/);
  });

  it("reads rooms, name and the model settings", () => {
    const env = readAgentEnv({
      AGENT_ROOMS: " lobby, design-review ,, ",
      AGENT_NAME: "helper",
      OPENAI_API_KEY: "sk-test",
      OPENAI_BASE_URL: "http://127.0.0.1:11434/v1/",
      OPENAI_MODEL: "llama3.2",
      AGENT_MODEL_STREAMING: "FALSE",
      DEV_AGENT: "false",
    });
    expect(agentRooms(env)).toEqual(["lobby", "design-review"]);
    expect(env.OPENAI_BASE_URL).toBe("http://127.0.0.1:11434/v1");
    expect(env.AGENT_MODEL_STREAMING).toBe(false);
    expect(env.DEV_AGENT).toBe(false);
    expect(brainFromEnv(env).description).toBe("model llama3.2 at http://127.0.0.1:11434/v1");
  });

  it.each([
    ["AGENT_NAME", "has/slash"],
    ["AGENT_NAME", "x".repeat(65)],
    ["AGENT_ROOMS", "Lobby"],
    ["AGENT_ROOMS", "../x"],
    ["OPENAI_BASE_URL", "ftp://example.com"],
    ["AGENT_REPLY_TIMEOUT_SECONDS", "0"],
    ["AGENT_MODEL_STREAMING", "maybe"],
    ["MESHAGENT_API_URL", "not a url"],
  ])("refuses %s=%j, naming the variable", (name, value) => {
    const error = configError({ [name]: value });
    expect(error.variables).toEqual([name]);
    expect(error.message).toContain(name);
  });
});

describe("room target and token", () => {
  it("uses the local dev room without MeshAgent credentials", () => {
    const target = resolveRoomTarget(readAgentEnv({ DEV_ROOM_PORT: "7799", DEV_ROOM_SECRET: "s3cret" }), NO_ROOT);
    expect(target).toEqual({ where: "local-dev-room", apiUrl: "ws://127.0.0.1:7799", secret: "s3cret" });
    expect(roomUrl(target, "lobby")).toBe("ws://127.0.0.1:7799/rooms/lobby");
  });

  it("reads the local room's variables even under NODE_ENV=production, and only when it uses the local room", () => {
    const env = readAgentEnv({ NODE_ENV: "production", DEV_ROOM_PORT: "7799", DEV_ROOM_SECRET: "s3cret" });
    expect(resolveRoomTarget(env, NO_ROOT)).toMatchObject({ apiUrl: "ws://127.0.0.1:7799", secret: "s3cret" });
    expect(configError({ NODE_ENV: "production", DEV_ROOM_PORT: "abc" }).variables).toEqual(["DEV_ROOM_PORT"]);
    const cloud = readAgentEnv({ MESHAGENT_API_KEY: encodeApiKey(KEY), DEV_ROOM_PORT: "abc" });
    expect(resolveRoomTarget(cloud, NO_ROOT).where).toBe("meshagent-api-key");
  });

  it("uses MeshAgent cloud with MESHAGENT_API_KEY, signing with the key's secret, id and project", async () => {
    const options = demoAgentOptionsFromEnv(
      readAgentEnv({ MESHAGENT_API_KEY: encodeApiKey(KEY), AGENT_ROOMS: "lobby" }),
      NO_ROOT,
    );
    expect(options.target.where).toBe("meshagent-api-key");
    expect(roomUrl(options.target, "lobby")).toBe("wss://api.meshagent.com/rooms/lobby");
    const jwt = await signAgentToken({ target: options.target, room: "lobby", agentName: "assistant" });
    const check = await verifyRoomToken(jwt, KEY.secret, "lobby");
    expect(check.ok).toBe(true);
    const claims = decodeJwt(jwt);
    expect(claims.kid).toBe(KEY.id);
    expect(claims.sub).toBe(KEY.projectId);
  });

  it("refuses a malformed API key and incomplete secret credentials", () => {
    expect(() => resolveRoomTarget(readAgentEnv({ MESHAGENT_API_KEY: "nope" }), NO_ROOT)).toThrow(/MESHAGENT_API_KEY/);
    expect(() => resolveRoomTarget(readAgentEnv({ MESHAGENT_PROJECT_ID: "p" }), NO_ROOT)).toThrow(/MESHAGENT_SECRET/);
    expect(() =>
      resolveRoomTarget(readAgentEnv({ MESHAGENT_SECRET: "s", MESHAGENT_PROJECT_ID: "p" }), NO_ROOT),
    ).toThrow(/MESHAGENT_KEY_ID/);
  });

  it("signs a least-privilege agent token: role agent, one room, direct messages, its own thread folder and files/, no agent grants", async () => {
    const target = resolveRoomTarget(readAgentEnv({ DEV_ROOM_SECRET: "s3cret" }), NO_ROOT);
    const now = new Date();
    const jwt = await signAgentToken({ target, room: "lobby", agentName: "assistant", now });
    const claims = decodeJwt(jwt);
    expect(claims.name).toBe("assistant");
    expect(claims.exp).toBe(Math.floor(now.getTime() / 1000) + 15 * 60);
    const [room, role, api] = claims.grants as { name: string; scope: Record<string, Record<string, unknown>> }[];
    expect([room, role]).toEqual([
      { name: "room", scope: "lobby" },
      { name: "role", scope: "agent" },
    ]);
    expect(api.name).toBe("api");
    expect(Object.keys(api.scope).sort()).toEqual(["agents", "messaging", "storage"]);
    // Turn-protocol threads under the agent's own folder, and the room's shared files; nothing else.
    expect(api.scope.storage).toEqual({
      paths: [
        { path: ".threads/assistant/", readOnly: false },
        { path: "files/", readOnly: false },
      ],
    });
    expect(api.scope.messaging).toEqual({ send: true, list: true, broadcast: false });
    // The SDK defaults every agents field to true: each of the six must be spelled out as false.
    expect(Object.keys(api.scope.agents).sort()).toEqual(
      ["call", "registerAgent", "registerPrivateToolkit", "registerPublicToolkit", "useAgents", "useTools"].sort(),
    );
    expect(Object.values(api.scope.agents).every((allowed) => allowed === false)).toBe(true);
    const check = await verifyRoomToken(jwt, "s3cret", "lobby");
    expect(check).toMatchObject({
      ok: true,
      claims: { role: "agent", messaging: { send: true, list: true, broadcast: false } },
    });
    expect((await verifyRoomToken(jwt, "s3cret", "other")).ok).toBe(false);
  });
});
