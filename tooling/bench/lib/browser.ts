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

/**
 * Init script: records performance.now() on window.__benchSocketAt when the
 * page creates its first WebSocket (the room connection), to show how much of
 * the time to connected passes before the connection even starts.
 */
export const SOCKET_PROBE = `(() => {
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      if (window.__benchSocketAt === undefined) window.__benchSocketAt = performance.now();
    }
  };
})();`;

/**
 * Init script for the framework floor: records performance.now() on
 * window.__benchHydratedAt once React has hydrated the last link, button or
 * input of the page's <main> (React attaches its props to an element when it
 * hydrates it). Polled between tasks, so it reads a few ms late at worst.
 */
export const HYDRATED_PROBE = `(() => {
  const started = performance.now();
  const check = () => {
    const controls = document.querySelectorAll("main a, main button, main input");
    const last = controls[controls.length - 1];
    if (last && Object.keys(last).some((key) => key.startsWith("__reactProps$"))) {
      window.__benchHydratedAt = performance.now();
      return;
    }
    if (performance.now() - started < 15000) setTimeout(check, 0);
  };
  check();
})();`;
