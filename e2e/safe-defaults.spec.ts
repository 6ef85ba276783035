import http from "node:http";
import { encode } from "next-auth/jwt";
import { APP_PORT, AUTH_SECRET, DEV_APP_PORT } from "./env";
import { expect, signIn, test, signInDirectly } from "./fixtures";

/** A raw request, so methods a browser or fetch would refuse to send (TRACE, made-up ones) reach the server. */
function rawRequest(
  method: string,
  path: string,
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const request = http.request({ host: "127.0.0.1", port: APP_PORT, method, path }, (response) => {
      let body = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => (body += chunk));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }));
    });
    request.on("error", reject);
    request.end();
  });
}

test.describe("the credentials route answers every method it does not serve with 405 Allow: GET", () => {
  for (const method of ["OPTIONS", "POST", "PUT", "PATCH", "DELETE"]) {
    test(method, async () => {
      const response = await rawRequest(method, "/api/room-connection?room=lobby");
      expect(response.status).toBe(405);
      expect(response.headers.allow).toBe("GET");
      expect(JSON.parse(response.body)).toEqual({ code: "method_not_allowed", message: expect.any(String) });
    });
  }
});

test("an unknown method is refused by Node's HTTP parser with 400, never a 500", async () => {
  expect((await rawRequest("FROBNICATE", "/api/room-connection?room=lobby")).status).toBe(400);
});

// TRACE is not tested: Next 16.4 builds a WHATWG Request for every request, and
// undici refuses TRACE before any proxy or route code runs, on every path, so
// only a server in front of Next can answer it (docs/security.md).

test("a malformed room address is the not-found page, not a 500", async ({ page }) => {
  await signInDirectly(page.context(), "Percy");
  const response = await page.goto("/rooms/%ZZ");
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
});

test.describe("a signed-in visitor of /signin is sent back without a 500, whatever callbackUrl holds", () => {
  for (const callbackUrl of ["%2F%0Ax", "%2Frooms%2F%C3%A9", "%2F%E2%80%A8", "%2F%09x", "%2F%F0%9F%91%8B"]) {
    test(callbackUrl, async ({ page }) => {
      await signIn(page, "Lin");
      const response = await page.request.get(`/signin?callbackUrl=${callbackUrl}`, { maxRedirects: 0 });
      expect(response.status()).toBeGreaterThanOrEqual(300);
      expect(response.status()).toBeLessThan(400);
      const location = new URL(response.headers()["location"], `http://127.0.0.1:${APP_PORT}`);
      expect(location.origin).toBe(`http://127.0.0.1:${APP_PORT}`);
    });
  }
});

test.describe("display names", () => {
  test("an emoji family (ZWJ sequence) is a valid name", async ({ page }) => {
    await signIn(page, "👩‍👩‍👧‍👦 Kim");
    await expect(page.getByTestId("signed-in-user")).toHaveText("👩‍👩‍👧‍👦 Kim");
  });

  for (const [label, name, message] of [
    ["a line separator", "Ada\u2028Lovelace", "Display names must be on one line."],
    ["a right-to-left override", "Eve\u202Egnp.exe", "Display names cannot contain text-direction control characters."],
  ]) {
    test(`${label} is refused with a clear message`, async ({ page }) => {
      await page.goto("/signin");
      await page.getByLabel("Display name").fill(name);
      await page.getByRole("button", { name: "Sign in with a name" }).click();
      await expect(page.getByRole("main").getByRole("alert")).toHaveText(message);
      await expect(page.getByTestId("signed-in-user")).toHaveCount(0);
    });
  }
});

test.describe("next dev on 127.0.0.1 (as npm run dev starts it) serves the room page under both names", () => {
  test.setTimeout(120_000); // the first request to a page compiles it

  for (const host of ["localhost", "127.0.0.1"]) {
    test(host, async ({ page }) => {
      // Signed in directly with a session cookie for this host: sign-in itself redirects to AUTH_URL's host.
      const name = "authjs.session-token";
      const value = await encode({
        token: { sub: `dev:${host}`, name: `Dev ${host}` },
        secret: AUTH_SECRET!,
        salt: name,
      });
      await page.context().addCookies([{ name, value, domain: host, path: "/" }]);
      await page.goto(`http://${host}:${DEV_APP_PORT}/rooms/lobby`);
      await expect(page.locator('[data-testid="room-connected"][data-connection="live"]')).toBeVisible({
        timeout: 90_000,
      });
    });
  }
});
