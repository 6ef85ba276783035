import { jwtVerify } from "jose";
import { expect, test, signInDirectly } from "./fixtures";
import { ROOM_SECRET } from "./env";

test.describe("GET /api/room-connection", () => {
  test("401 JSON without a session", async ({ request }) => {
    const response = await request.get("/api/room-connection?room=lobby");
    expect(response.status()).toBe(401);
    expect(await response.json()).toEqual({ code: "unauthorized", message: expect.any(String) });
  });

  test("401 JSON, not a 500, for a tampered session cookie", async ({ playwright, baseURL }) => {
    const request = await playwright.request.newContext({
      baseURL,
      extraHTTPHeaders: { cookie: "authjs.session-token=eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0.tampered.garbage" },
    });
    const response = await request.get("/api/room-connection?room=lobby");
    expect(response.status()).toBe(401);
    expect((await response.json()).code).toBe("unauthorized");
    await request.dispose();
  });

  test("405 JSON for other methods", async ({ request }) => {
    const response = await request.post("/api/room-connection?room=lobby");
    expect(response.status()).toBe(405);
    expect(response.headers()["allow"]).toBe("GET");
    expect((await response.json()).code).toBe("method_not_allowed");
  });

  test("signed in: 400 for a bad room, 403 for a refused one, 200 with a short-lived token otherwise", async ({
    page,
  }) => {
    await signInDirectly(page.context(), "Katherine");
    const request = page.context().request;

    const bad = await request.get("/api/room-connection?room=..%2F..%2Fadmin");
    expect(bad.status()).toBe(400);
    expect((await bad.json()).code).toBe("invalid_room");

    const refused = await request.get("/api/room-connection?room=secret-room");
    expect(refused.status()).toBe(403);
    expect((await refused.json()).code).toBe("forbidden");

    const ok = await request.get("/api/room-connection?room=api");
    expect(ok.status()).toBe(200);
    expect(ok.headers()["cache-control"]).toContain("no-store");
    const { url, jwt } = await ok.json();
    expect(url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/rooms\/api$/);
    const { payload } = await jwtVerify(jwt, new TextEncoder().encode(ROOM_SECRET), { algorithms: ["HS256"] });
    expect(payload.name).toBe("Katherine");
    expect(payload.exp! - Math.floor(Date.now() / 1000)).toBeLessThanOrEqual(120);
  });
});
