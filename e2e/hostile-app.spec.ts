import { expect, test } from "./fixtures";
import { BASE_APP_ENV, startApp, type AppProcess } from "./support/app-process";
import { CookieJar, postAuthForm } from "./support/auth-http";

// The app under hostile requests (issue 19 L6, L7 and "also fix"), on real `next start` processes.

const LIMITS = { RATE_LIMIT_SIGN_IN_PER_IP: "3", RATE_LIMIT_SIGN_IN_PER_NAME: "100" };
/** BASE_APP_ENV without AUTH_TRUST_HOST: a `next start` reached directly, its origin pinned by AUTH_URL. */
const { AUTH_TRUST_HOST: _trusted, ...DIRECT } = BASE_APP_ENV;

let direct: AppProcess;
let proxied: AppProcess;
let unconfigured: AppProcess;

test.beforeAll(async () => {
  test.setTimeout(120_000);
  [direct, proxied, unconfigured] = await Promise.all([
    startApp((url) => ({ ...DIRECT, ...LIMITS, AUTH_URL: url })),
    startApp((url) => ({ ...DIRECT, ...LIMITS, AUTH_URL: url, TRUST_PROXY: "true" })),
    startApp(DIRECT, { readyPath: "/signin" }),
  ]);
});

test.afterAll(async () => {
  await Promise.all([direct?.stop(), proxied?.stop(), unconfigured?.stop()]);
});

/** Six sign-ins, each under a new name and a made-up X-Forwarded-For. */
async function spoofedSignIns(app: AppProcess): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 0; i < 6; i++) {
    const response = await postAuthForm(
      app.url,
      "/api/auth/callback/dev-login",
      new CookieJar(),
      { name: `Spoof ${i}`, callbackUrl: "/" },
      { "x-forwarded-for": `203.0.113.${i + 10}`, "x-real-ip": `198.51.100.${i}` },
    );
    statuses.push(response.status);
  }
  return statuses;
}

test("X-Forwarded-For counts only when TRUST_PROXY says so, and the start-up log says which (19 L6)", async () => {
  // Reached directly: the made-up addresses change nothing, the per-IP budget of 3 holds.
  expect(await spoofedSignIns(direct)).toEqual([302, 302, 302, 429, 429, 429]);
  expect(direct.output()).toContain("Forwarded headers are not trusted");
  // Behind a proxy that writes the header, each address has its own budget.
  expect(await spoofedSignIns(proxied)).toEqual([302, 302, 302, 302, 302, 302]);
  expect(proxied.output()).toContain("Forwarded headers are trusted");
});

test("malformed escapes under /api/auth answer 404, logged, never a bare 500 (19 L7)", async () => {
  for (const path of ["/api/auth/%ZZ", "/api/auth/signin/%ZZ", "/api/auth/callback/%ZZ", "/rooms/%ZZ"]) {
    for (const method of ["GET", "POST"]) {
      const response = await fetch(`${direct.url}${path}`, { method, redirect: "manual" });
      expect(`${method} ${path} ${response.status}`).toBe(`${method} ${path} 404`);
      expect(await response.text()).not.toMatch(/URIError|at decodeURIComponent/);
    }
  }
  await expect.poll(() => direct.output()).toContain('[proxy] 404 for a malformed escape in "/api/auth/callback/%ZZ"');
});

test("without AUTH_URL or AUTH_TRUST_HOST the sign-in page and the start-up log name them; /api/auth says 503", async ({
  browser,
}) => {
  expect(unconfigured.output()).toContain("AUTH_URL or AUTH_TRUST_HOST");
  const response = await fetch(`${unconfigured.url}/api/auth/providers`);
  expect(response.status).toBe(503);
  expect(await response.json()).toEqual({ code: "not_configured", message: expect.stringContaining("AUTH_URL") });
  const page = await browser.newPage();
  await page.goto(`${unconfigured.url}/signin`);
  await expect(page.getByRole("main").getByRole("alert").first()).toContainText("AUTH_URL or AUTH_TRUST_HOST");
  await page.close();
});

test("no page can be framed by another site", async ({ page, baseURL }) => {
  for (const path of ["/", "/signin", "/rooms/lobby", "/api/room-connection?room=lobby", "/api/auth/providers"]) {
    const response = await fetch(`${baseURL}${path}`, { redirect: "manual" });
    expect(response.headers.get("content-security-policy"), path).toBe("frame-ancestors 'none'");
    expect(response.headers.get("x-frame-options"), path).toBe("DENY");
  }
  // A real browser refuses to show it inside another origin's frame.
  await page.goto("about:blank");
  await page.setContent(`<iframe id="f" src="${baseURL}/signin" width="600" height="400"></iframe>`);
  await page.waitForTimeout(2000);
  const frame = page.frames().find((f) => f !== page.mainFrame());
  expect(
    await frame
      ?.locator("text=Sign in")
      .count()
      .catch(() => 0),
  ).toBe(0);
});
