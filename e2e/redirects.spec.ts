import type { BrowserContext } from "@playwright/test";
import { expect, signInDirectly, test } from "./fixtures";
import { CookieJar, postAuthForm } from "./support/auth-http";

/**
 * Open redirects (issue 12 D1, D2, D12): whatever `callbackUrl` says, signing
 * in, visiting /signin signed in, or posting to Auth.js ends on this site,
 * with a valid Location header (never a 500).
 */

// Raw query values, as an attacker would put them in a link.
const TRICKS = [
  "/%09/evil.example/x",
  "/.//evil.example/x",
  "/a/..//evil.example/x",
  "//evil.example/x",
  "%2F%2Fevil.example%2Fx",
  "/%5Cevil.example",
  "%2F%5Cevil.example",
  "%5C%5Cevil.example",
  "https://evil.example/",
  "https:evil.example",
  "/%0A/evil.example",
  "%2F%0D%0A%2Fevil.example",
  "%2F%0Ax",
  "/%C3%A9t%C3%A9",
  "/%E2%80%AE/evil",
  "/%2e%2e/%2e/%2Fevil.example",
];

/**
 * Same site? Next's NextRequest reports loopback hosts as "localhost", so
 * Auth.js' own route may answer with localhost for an app on 127.0.0.1.
 */
function sameSite(location: string, origin: string): boolean {
  const loopback = (url: URL) =>
    `${url.protocol}//${url.hostname === "127.0.0.1" ? "localhost" : url.hostname}:${url.port}`;
  return loopback(new URL(location, origin)) === loopback(new URL(origin));
}

test.describe("callbackUrl tricks", () => {
  async function routeOtherHosts(context: BrowserContext, baseURL: string) {
    const app = new URL(baseURL).host;
    // Any other host answers with a marker page, so leaving the site is seen, not a network error.
    await context.route(
      (url) => url.host !== app,
      (route) => route.fulfill({ status: 200, contentType: "text/html", body: "<h1>EVIL SITE</h1>" }),
    );
  }

  test.beforeEach(async ({ context, baseURL }) => {
    await routeOtherHosts(context, baseURL!);
  });

  test("the sign-in form returns to this site for every trick", async ({ browser, baseURL }) => {
    test.setTimeout(180_000);
    const origin = new URL(baseURL!).origin;
    async function signInWithTrick(trick: string, index: number) {
      // A fresh browser per trick: nobody is signed in yet.
      const context = await browser.newContext({ baseURL });
      await routeOtherHosts(context, baseURL!);
      const page = await context.newPage();
      const response = await page.goto(`/signin?callbackUrl=${trick}`);
      expect(response?.status(), trick).toBe(200);
      await page.getByLabel("Display name").fill(`Trick ${index}`);
      await page.getByRole("button", { name: "Sign in with a name" }).click();
      await expect.poll(() => new URL(page.url()).pathname, { message: trick }).not.toBe("/signin");
      await page.waitForLoadState("load");
      expect(new URL(page.url()).origin, trick).toBe(origin);
      await expect(page.getByText("EVIL SITE")).toHaveCount(0);
      await expect(page.getByTestId("signed-in-user"), trick).toHaveText(`Trick ${index}`);
      await context.close();
    }
    // Four browsers at a time: each trick is its own sign-in, and one after another they took 1.4 min.
    for (let start = 0; start < TRICKS.length; start += 4) {
      await Promise.all(TRICKS.slice(start, start + 4).map((trick, i) => signInWithTrick(trick, start + i)));
    }
  });

  test("a signed-in visitor of /signin is redirected on-site, with a valid Location", async ({ page, baseURL }) => {
    const origin = new URL(baseURL!).origin;
    await signInDirectly(page.context(), "Signed In Sam");
    for (const trick of TRICKS) {
      const response = await page.request.get(`/signin?callbackUrl=${trick}`, { maxRedirects: 0 });
      expect(response.status(), trick).toBe(307);
      const location = response.headers()["location"];
      expect(location, trick).toMatch(/^[\x21-\x7e]+$/);
      expect(new URL(location, origin).origin, trick).toBe(origin);
    }
    // The same through the browser: it ends here too.
    for (const trick of TRICKS.slice(0, 4)) {
      await page.goto(`/signin?callbackUrl=${trick}`);
      expect(new URL(page.url()).origin, trick).toBe(origin);
    }
  });

  test("Auth.js' own callback endpoint redirects on-site for every trick", async ({ baseURL }) => {
    const origin = new URL(baseURL!).origin;
    for (const [index, trick] of TRICKS.entries()) {
      const callbackUrl = (() => {
        try {
          return decodeURIComponent(trick);
        } catch {
          return trick;
        }
      })();
      const response = await postAuthForm(origin, "/api/auth/callback/dev-login", new CookieJar(), {
        name: `Poster ${index}`,
        callbackUrl,
      });
      expect(response.status, trick).toBe(302);
      const location = response.headers.get("location")!;
      expect(sameSite(location, origin), `${trick} -> ${location}`).toBe(true);
    }
  });

  test("a signed-out visit to a room carries a same-site callbackUrl", async ({ page }) => {
    const response = await page.request.get("/rooms/lobby?x=%0A", { maxRedirects: 0 });
    expect(response.status()).toBe(307);
    const target = new URL(response.headers()["location"], "http://app.test");
    expect(target.pathname).toBe("/signin");
    expect(target.searchParams.get("callbackUrl")).toBe("/rooms/lobby?x=%0A");
  });
});
