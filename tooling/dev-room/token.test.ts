// Unit tests of participant token verification and grant extraction.

import { describe, expect, it } from "vitest";
import { ApiScope, MessagingGrant, ParticipantToken } from "@meshagent/meshagent";
import { verifyRoomToken } from "./token";
import { SECRET, handToken, sdkToken } from "./test-helpers";

describe("verifyRoomToken", () => {
  it("extracts name, role and full messaging, storage and sync from a developmentAuthorization-style token", async () => {
    const check = await verifyRoomToken(await sdkToken({ name: "ann" }), SECRET, "test");
    expect(check).toEqual({
      ok: true,
      claims: {
        name: "ann",
        role: "user",
        room: "test",
        messaging: { send: true, broadcast: true, list: true },
        storage: { kind: "storage", paths: null },
        sync: { kind: "sync", paths: null },
        agents: {
          registerPublicToolkit: true,
          registerPrivateToolkit: true,
          useTools: true,
          call: true,
          allowedToolkits: null,
        },
      },
    });
  });

  it("reads storage and sync path grants (camelCase from the TS SDK, snake_case from Python)", async () => {
    const token = await handToken({
      name: "p",
      grants: [
        { name: "room", scope: "test" },
        {
          name: "api",
          scope: {
            storage: { paths: [{ path: "/files/", readOnly: true }, { path: "b/", read_only: true }, { path: "c/" }] },
            sync: {},
          },
        },
      ],
    });
    const check = await verifyRoomToken(token, SECRET, "test");
    expect(check).toMatchObject({
      ok: true,
      claims: {
        messaging: null,
        storage: {
          kind: "storage",
          paths: [
            { path: "files/", readOnly: true },
            { path: "b/", readOnly: true },
            { path: "c/", readOnly: false },
          ],
        },
        sync: { kind: "sync", paths: null },
      },
    });
  });

  it("reads the role like the SDK (first non-user role) and the api grant as given", async () => {
    const token = new ParticipantToken({ name: "bot" });
    token.addRoomGrant("test");
    token.addRoleGrant("user");
    token.addRoleGrant("agent");
    token.addApiGrant(new ApiScope({ messaging: new MessagingGrant({ send: false }) }));
    const check = await verifyRoomToken(await token.toJwt({ token: SECRET }), SECRET, "test");
    expect(check).toMatchObject({
      ok: true,
      claims: { role: "agent", messaging: { send: false, broadcast: true, list: true } },
    });
  });

  it("gives no messaging to an api grant without messaging, or a modern token without api grant", async () => {
    const noMessaging = await sdkToken({ name: "x", api: new ApiScope({}) });
    expect(await verifyRoomToken(noMessaging, SECRET, "test")).toMatchObject({ ok: true, claims: { messaging: null } });
    const modern = await handToken({ name: "x", version: "0.35.8", grants: [{ name: "room", scope: "test" }] });
    expect(await verifyRoomToken(modern, SECRET, "test")).toMatchObject({ ok: true, claims: { messaging: null } });
    const legacy = await handToken({ name: "x", version: "0.5.3", grants: [{ name: "room", scope: "test" }] });
    expect(await verifyRoomToken(legacy, SECRET, "test")).toMatchObject({
      ok: true,
      claims: { messaging: { send: true } },
    });
  });

  it("returns typed refusals", async () => {
    const room = [{ name: "room", scope: "test" }];
    const cases: Array<[string | null, string]> = [
      [null, "missing_token"],
      ["", "missing_token"],
      ["garbage", "invalid_token"],
      [await sdkToken({ name: "x", secret: "other" }), "invalid_token"],
      [await handToken({ name: "x", grants: "nope" }), "invalid_token"],
      [await handToken({ name: "", grants: room }), "invalid_token"],
      [await handToken({ name: "x", grants: room, exp: Math.floor(Date.now() / 1000) - 30 }), "token_expired"],
      [await handToken({ name: "x", grants: [{ name: "room", scope: "elsewhere" }] }), "wrong_room"],
    ];
    for (const [jwt, reason] of cases) {
      expect(await verifyRoomToken(jwt, SECRET, "test")).toMatchObject({ ok: false, reason });
    }
    expect(await verifyRoomToken(null, SECRET, "lobby")).toMatchObject({ message: "missing token" });
    expect(await verifyRoomToken(cases[7][0], SECRET, "test")).toMatchObject({
      message: "token not valid for room test",
    });
  });
});
