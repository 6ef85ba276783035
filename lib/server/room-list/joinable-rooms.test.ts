import { randomUUID } from "node:crypto";
import { encodeApiKey } from "@meshagent/meshagent";
import { SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import { readEnv } from "@/lib/env";
import { joinableRooms } from "@/lib/server/room-list/joinable-rooms";
import { LOCAL_ROOM_LIST_AUDIENCE } from "@/lib/shared/local-room-list";
import { SECRET, sdkToken, useHarness } from "@/tooling/dev-room/test-helpers";
import { startMeshAgentAccounts } from "@/tooling/testing/meshagent-accounts";

/** The home page's room list against the real local room (real SDK clients make the files and the people). */
const h = useHarness({ dataDir: "room-list-" });
const ada = { id: "dev:ada", name: "Ada" };
const noToken = async () => null;

const read = (extra: Record<string, string> = {}) =>
  readEnv({ NODE_ENV: "production", MESHAGENT_SECRET: SECRET, MESHAGENT_API_URL: h.server.url, ...extra });

async function withFile(room: string): Promise<void> {
  const client = await h.join(`uploader-${room}`, { room, enable: false });
  await client.storage.upload("files/report.txt", new TextEncoder().encode("hello"));
  h.dispose(client);
}

const roomsEndpoint = (authorization?: string) =>
  fetch(`${h.server.url.replace("ws", "http")}/rooms`, { headers: authorization ? { authorization } : {} });

describe("the local room's GET /rooms", () => {
  it("answers only a token signed with the room secret for the room-list audience, never a participant token", async () => {
    expect((await roomsEndpoint()).status).toBe(401);
    expect((await roomsEndpoint(`Bearer ${await sdkToken({ name: "eve", room: "lobby" })}`)).status).toBe(401);
    const forged = await new SignJWT({})
      .setProtectedHeader({ alg: "HS256" })
      .setAudience(LOCAL_ROOM_LIST_AUDIENCE)
      .setExpirationTime("1m")
      .sign(new TextEncoder().encode("another-secret"));
    expect((await roomsEndpoint(`Bearer ${forged}`)).status).toBe(401);
  });
});

describe("joinableRooms with the local room", () => {
  it("lists rooms with a file or people in them, with how many are there, and not the rooms canJoinRoom refuses", async () => {
    await withFile("with-file");
    await withFile("forbidden");
    await h.join("grace", { room: "occupied" });
    await h.join("linus", { room: "occupied" });
    const result = await joinableRooms(ada, read({ MESHAGENT_ROOMS: "with-file,occupied,lobby" }), noToken);
    expect(result).toEqual({
      ok: true,
      rooms: [
        { name: "occupied", participants: 2, hasData: false },
        { name: "with-file", participants: 0, hasData: true },
      ],
    });
  });

  it("without an allow-list every room with data is listed; empty rooms never are", async () => {
    await withFile("forbidden");
    const result = await joinableRooms(ada, read(), noToken);
    expect(result.ok && result.rooms.map((room) => room.name)).toEqual(["forbidden"]);
  });

  it("says why when the room server cannot be reached, instead of failing the page", async () => {
    const env = read();
    await h.server.close();
    const result = await joinableRooms(ada, env, noToken);
    expect(result).toEqual({ ok: false, reason: "the room server could not be reached" });
  });

  it("says which variable is missing when nothing is configured", async () => {
    const result = await joinableRooms(ada, readEnv({ NODE_ENV: "production" }), noToken);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toMatch(/MESHAGENT_API_KEY/);
  });
});

describe("joinableRooms with MeshAgent cloud (the local stand-in for its accounts API)", () => {
  it("lists the project's rooms with the API key, or with the person's token in `user` room access; refused rooms and invalid names left out", async () => {
    const standIn = await startMeshAgentAccounts({
      roomSecret: SECRET,
      roomApiUrl: h.server.url,
      rooms: ["lobby", "standup", "Not A Room!", "secret"],
    });
    try {
      const apiKey = encodeApiKey({ id: randomUUID(), projectId: standIn.projectId, secret: "s3cret" });
      standIn.acceptApiKey(apiKey);
      const cloud = readEnv({
        NODE_ENV: "production",
        MESHAGENT_API_KEY: apiKey,
        MESHAGENT_ACCOUNTS_URL: standIn.url,
        MESHAGENT_ROOMS: "lobby,standup",
      });
      const expected = { ok: true, rooms: [{ name: "lobby" }, { name: "standup" }] };
      expect(await joinableRooms(ada, cloud, noToken)).toEqual(expected);
      expect(standIn.log.roomLists).toBe(1);

      const user = readEnv({
        NODE_ENV: "production",
        MESHAGENT_ROOM_ACCESS: "user",
        MESHAGENT_PROJECT_ID: standIn.projectId,
        MESHAGENT_ACCOUNTS_URL: standIn.url,
        MESHAGENT_ROOMS: "lobby,standup",
      });
      const token = standIn.issueAccessToken();
      expect(await joinableRooms(ada, user, async () => token)).toEqual(expected);
      expect(await joinableRooms(ada, user, async () => "revoked")).toEqual({
        ok: false,
        reason: "MeshAgent did not accept your sign-in. Sign in again.",
      });
      expect(await joinableRooms(ada, user, noToken)).toMatchObject({ ok: false, reason: /due for renewal/ });
    } finally {
      await standIn.close();
    }
  });
});
