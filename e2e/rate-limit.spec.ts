import { expect, test } from "@playwright/test";
import { startRedis, type TestRedis } from "../tooling/testing/redis-server";
import { startApp, BASE_APP_ENV, type AppProcess } from "./support/app-process";
import { devSignInHttp, postAuthForm, CookieJar } from "./support/auth-http";

/**
 * Rate limits (issue 12 item 6) on real app processes: two `next start`
 * instances sharing one real redis-server hold one budget between them; a
 * third without REDIS_URL counts in its own memory.
 */
const LIMITS = {
  RATE_LIMIT_WINDOW_SECONDS: "60",
  RATE_LIMIT_ROOM_CONNECTION_PER_USER: "5",
  RATE_LIMIT_ROOM_CONNECTION_PER_IP: "8",
  RATE_LIMIT_SIGN_IN_PER_NAME: "3",
  RATE_LIMIT_SIGN_IN_PER_IP: "1000",
};

let redis: TestRedis;
let first: AppProcess;
let second: AppProcess;
let memoryOnly: AppProcess;

test.beforeAll(async () => {
  test.setTimeout(120_000);
  redis = await startRedis();
  [first, second, memoryOnly] = await Promise.all([
    startApp({ ...BASE_APP_ENV, ...LIMITS, REDIS_URL: redis.url }),
    startApp({ ...BASE_APP_ENV, ...LIMITS, REDIS_URL: redis.url }),
    startApp({ ...BASE_APP_ENV, ...LIMITS }),
  ]);
});

test.afterAll(async () => {
  await Promise.all([first?.stop(), second?.stop(), memoryOnly?.stop()]);
  await redis?.stop();
});

async function expectRateLimited(response: Response): Promise<void> {
  expect(response.status).toBe(429);
  expect(response.headers.get("content-type")).toContain("application/json");
  expect(response.headers.get("cache-control")).toBe("no-store");
  const retryAfter = response.headers.get("retry-after");
  expect(retryAfter).toMatch(/^\d+$/);
  expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
  expect(Number(retryAfter)).toBeLessThanOrEqual(60);
  expect(await response.json()).toEqual({ code: "rate_limited", message: expect.stringMatching(/too many/i) });
}

const credentials = (app: AppProcess, jar: CookieJar | null, ip: string) =>
  fetch(`${app.url}/api/room-connection?room=lobby`, {
    headers: { cookie: jar?.header() ?? "", "x-forwarded-for": ip },
  });

test("room credentials: one per-user budget across two instances sharing Redis", async () => {
  const jar = await devSignInHttp(first.url, "Limit Lee", { "x-forwarded-for": "198.51.100.200" });
  const statuses: number[] = [];
  let refused: Response | null = null;
  for (let i = 0; i < 10; i++) {
    // A new address every time: only the per-user limit can stop this.
    const response = await credentials(i % 2 === 0 ? first : second, jar, `198.51.100.${i}`);
    statuses.push(response.status);
    if (response.status === 429) refused = response;
    else await response.body?.cancel();
  }
  expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429, 429, 429, 429]);
  await expectRateLimited(refused!);
});

test("room credentials: one per-IP budget across two instances sharing Redis", async () => {
  const statuses: number[] = [];
  for (let i = 0; i < 10; i++) {
    const response = await credentials(i % 2 === 0 ? first : second, null, "203.0.113.7");
    statuses.push(response.status);
    if (i === 9) await expectRateLimited(response);
    else await response.body?.cancel();
  }
  // Signed out: 401 until the address has used its 8 requests.
  expect(statuses).toEqual([401, 401, 401, 401, 401, 401, 401, 401, 429, 429]);
  // Another address is not affected.
  expect((await credentials(second, null, "203.0.113.8")).status).toBe(401);
});

test("without REDIS_URL an instance counts in its own memory", async () => {
  const jar = await devSignInHttp(memoryOnly.url, "Memory Mo", { "x-forwarded-for": "192.0.2.200" });
  const statuses: number[] = [];
  for (let i = 0; i < 7; i++) {
    const response = await credentials(memoryOnly, jar, `192.0.2.${i}`);
    statuses.push(response.status);
    if (i === 6) await expectRateLimited(response);
    else await response.body?.cancel();
  }
  expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429]);
  // The Redis-backed instances have their own, untouched budget for this user.
  expect((await credentials(first, jar, "192.0.2.100")).status).toBe(200);
});

test("sign-in: one per-name budget across two instances sharing Redis", async () => {
  const statuses: number[] = [];
  let refused: Response | null = null;
  for (let i = 0; i < 6; i++) {
    const response = await postAuthForm(
      i % 2 === 0 ? first.url : second.url,
      "/api/auth/callback/dev-login",
      new CookieJar(),
      { name: "Flood Fay", callbackUrl: "/" },
      { "x-forwarded-for": `198.18.0.${i}` },
    );
    statuses.push(response.status);
    if (response.status === 429) refused = response;
  }
  expect(statuses).toEqual([302, 302, 302, 429, 429, 429]);
  await expectRateLimited(refused!);
});

test("sign-in form: over the limit the page says so and nobody is signed in", async ({ browser }) => {
  const attempt = async () => {
    // A fresh browser each time, as someone trying names from one address would.
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${memoryOnly.url}/signin`);
    await page.getByLabel("Display name").fill("Form Flo");
    await page.getByRole("button", { name: "Sign in with a name" }).click();
    return page;
  };
  for (let i = 0; i < 3; i++) {
    const page = await attempt();
    await expect(page.getByTestId("signed-in-user")).toHaveText("Form Flo");
    await page.context().close();
  }
  const page = await attempt();
  await expect(page.getByRole("main").getByRole("alert")).toContainText("Too many sign-in attempts");
  await expect(page.getByTestId("signed-in-user")).toHaveCount(0);
  await page.context().close();
});
