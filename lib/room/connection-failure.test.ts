import { describe, expect, it } from "vitest";
import { classifyFailure } from "@/lib/room/connection-failure";
import { RoomConnectionError, fetchRoomConnection } from "@/lib/room/fetch-room-connection";

describe("classifyFailure", () => {
  it.each([
    [401, "unauthorized", "signed_out", false],
    [403, "forbidden", "forbidden", false],
    [400, "invalid_room", "invalid_room", false],
    [503, "not_configured", "not_configured", false],
    [500, "internal_error", "server_error", true],
    [0, "network_error", "app_unreachable", true],
  ] as const)("route status %i -> %s (%s), retryable=%s", (status, code, kind, retryable) => {
    const failure = classifyFailure(new RoomConnectionError(status, code, "route said no"));
    expect(failure.kind).toBe(kind);
    expect(failure.retryable).toBe(retryable);
  });

  it("keeps the route's message for 403 so the person sees which room", () => {
    const failure = classifyFailure(
      new RoomConnectionError(403, "forbidden", 'You do not have access to the room "x".'),
    );
    expect(failure.message).toContain('"x"');
  });

  it("a socket failure before the room is reached is retryable room_unreachable; after, dropped", () => {
    const socketError = { type: "error" };
    expect(classifyFailure(socketError)).toMatchObject({ kind: "room_unreachable", retryable: true });
    expect(classifyFailure(null, { wasConnected: true })).toMatchObject({ kind: "dropped", retryable: true });
  });
});

describe("fetchRoomConnection", () => {
  const respond = (status: number, body: unknown) => async () =>
    new Response(typeof body === "string" ? body : JSON.stringify(body), { status });

  it("returns url and jwt and asks for the room, URL-encoded", async () => {
    let asked = "";
    const credentials = await fetchRoomConnection("lobby", {
      fetchImpl: async (input) => {
        asked = String(input);
        return new Response(JSON.stringify({ url: "ws://x/rooms/lobby", jwt: "j", extra: 1 }));
      },
    });
    expect(asked).toBe("/api/room-connection?room=lobby");
    expect(credentials).toEqual({ url: "ws://x/rooms/lobby", jwt: "j" });
  });

  it("throws the route's code and message on an error status", async () => {
    const error = await fetchRoomConnection("x", {
      fetchImpl: respond(403, { code: "forbidden", message: "no" }),
    }).catch((e) => e);
    expect(error).toBeInstanceOf(RoomConnectionError);
    expect(error).toMatchObject({ status: 403, code: "forbidden", message: "no" });
  });

  it("copes with a non-JSON error page and a 200 without credentials", async () => {
    await expect(
      fetchRoomConnection("x", { fetchImpl: respond(502, "<html>bad gateway</html>") }),
    ).rejects.toMatchObject({
      status: 502,
      code: "bad_response",
    });
    await expect(fetchRoomConnection("x", { fetchImpl: respond(200, { url: 1 }) })).rejects.toMatchObject({
      code: "bad_response",
    });
  });

  it("a network failure is network_error (status 0)", async () => {
    const failing = async () => {
      throw new TypeError("Failed to fetch");
    };
    await expect(fetchRoomConnection("x", { fetchImpl: failing })).rejects.toMatchObject({
      status: 0,
      code: "network_error",
    });
  });
});
