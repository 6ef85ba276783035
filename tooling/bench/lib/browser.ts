/** Headless Chromium for the page benchmarks, and dev sign-in to get a session. */

import { chromium, type Browser, type BrowserContext } from "@playwright/test";
import { SYSTEM_CHROMIUM_ARGS, systemChromium } from "../../../e2e/browser";

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: systemChromium(),
    args: SYSTEM_CHROMIUM_ARGS,
    headless: true,
    timeout: 60_000,
  });
}

export const SESSION_COOKIE = "authjs.session-token";

/**
 * Signs in with the dev sign-in provider through the real sign-in page (as
 * e2e/fixtures.ts does) and returns the session cookie value.
 */
export async function signIn(context: BrowserContext, baseUrl: string, name: string): Promise<string> {
  const page = await context.newPage();
  try {
    await page.goto(`${baseUrl}/signin?callbackUrl=${encodeURIComponent("/")}`, { timeout: 30_000 });
    await page.getByLabel("Display name").fill(name);
    await page.getByRole("button", { name: "Sign in with a name" }).click();
    await page.waitForURL((url) => url.pathname === "/", { timeout: 30_000 });
  } finally {
    await page.close();
  }
  const cookie = (await context.cookies(baseUrl)).find((c) => c.name === SESSION_COOKIE);
  if (!cookie) throw new Error(`signed in, but no ${SESSION_COOKIE} cookie was set`);
  return cookie.value;
}

/** Marker the room page (and the bare page) render once connected with messaging enabled. */
export const CONNECTED_SELECTOR = '[data-testid="room-connected"][data-connection="live"]';

/**
 * Init script: records performance.now() (ms since navigation start) on
 * window.__benchConnectedAt the moment the connected marker is in the DOM and
 * laid out, from a MutationObserver, so polling adds no delay.
 */
export const CONNECTED_PROBE = `(() => {
  const selector = ${JSON.stringify(CONNECTED_SELECTOR)};
  const check = () => {
    if (window.__benchConnectedAt !== undefined) return;
    const element = document.querySelector(selector);
    if (element && element.getClientRects().length > 0) {
      window.__benchConnectedAt = performance.now();
      observer.disconnect();
    }
  };
  const observer = new MutationObserver(check);
  observer.observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ["data-connection", "data-testid"] });
})();`;
