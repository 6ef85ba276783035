/**
 * First visit on a fresh clone: a private copy of the working tree with no
 * .next at all, `npm run dev` in it (tooling/scripts/dev.ts: local room
 * server + `next dev`), then what a new user does in the browser: open the
 * home page, sign in, open the default room, until connected.
 *
 * npm run dev warms the pages in the background once next dev listens
 * (tooling/scripts/warm-up.ts); the visit starts when it reports done, as a
 * developer would switch to the browser after the "Ready" lines. The
 * timeline (ready, warmed) is in the table too, so the total from
 * `npm run dev` to connected is visible. BENCH_FIRST_VISIT_WARM_UP=false
 * turns the warm-up off to see what it saves.
 */

import { existsSync } from "node:fs";
import path from "node:path";
import type { Page } from "@playwright/test";
import { cleanEnv } from "./lib/app";
import { CONNECTED_PROBE, CONNECTED_SELECTOR } from "./lib/browser";
import type { BenchContext } from "./lib/context";
import { freePort } from "./lib/ports";
import { freshCopy } from "./lib/private-copy";
import { sleep, startProcess, tail, waitForOutput } from "./lib/proc";
import { groupAlive } from "./lib/proc-stats";
import { goal, row, type BenchResult } from "./lib/table";

/** Goal 4: the first room visit on a fresh clone connects within this. */
const FIRST_VISIT_TARGET_MS = 3000;
const WARM_UP = process.env.BENCH_FIRST_VISIT_WARM_UP !== "false";
const ROOM = "lobby";
/** Generous: on a shared 2-core machine a cold Turbopack compile of the room page has taken over a minute. */
const STEP_TIMEOUT_MS = 300_000;

async function timed<T>(step: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  const value = await step();
  return { ms: performance.now() - started, value };
}

async function connectedAt(page: Page): Promise<number> {
  return page.evaluate(() => (window as unknown as { __benchConnectedAt?: number }).__benchConnectedAt ?? Number.NaN);
}

export async function firstVisit(ctx: BenchContext): Promise<Omit<BenchResult, "durationMs">> {
  const copy = freshCopy();
  const hasWarmUp = existsSync(path.join(copy.dir, "tooling", "scripts", "warm-up.ts"));
  const port = await freePort(3200);
  const roomPort = await freePort(7727);
  const base = `http://localhost:${port}`;
  const env = cleanEnv({ DEV_ROOM_PORT: String(roomPort), DEV_WARM_UP: WARM_UP ? "true" : "false" });
  const started = performance.now();
  const dev = startProcess("npm run dev", "npm", ["run", "dev", "--", "-p", String(port), "-H", "localhost"], {
    cwd: copy.dir,
    env,
  });
  const browser = await ctx.browser();
  const context = await browser.newContext();
  try {
    ctx.log(`first-visit: npm run dev in a fresh copy (${copy.dir}), app ${base}, room port ${roomPort}…`);
    await waitForOutput(dev, /Ready in/, STEP_TIMEOUT_MS);
    const readyMs = performance.now() - started;
    let warmedMs = Number.NaN;
    if (WARM_UP && hasWarmUp) {
      await waitForOutput(dev, /Warmed up/, STEP_TIMEOUT_MS);
      warmedMs = performance.now() - started;
    }
    ctx.log(
      `first-visit: ready after ${(readyMs / 1000).toFixed(1)} s, warmed after ${(warmedMs / 1000).toFixed(1)} s`,
    );
    await context.addInitScript(CONNECTED_PROBE);
    const page = await context.newPage();
    page.setDefaultTimeout(STEP_TIMEOUT_MS);

    const home = await timed(() => page.goto(`${base}/`, { waitUntil: "load" }));
    const signIn = await timed(async () => {
      await page.goto(`${base}/signin?callbackUrl=${encodeURIComponent("/")}`, { waitUntil: "load" });
      await page.getByLabel("Display name").fill("First Visitor");
      await page.getByRole("button", { name: "Sign in with a name" }).click();
      await page.waitForURL((url) => url.pathname === "/");
    });
    const room = await timed(async () => {
      await page.goto(`${base}/rooms/${ROOM}`, { waitUntil: "commit" });
      await page.locator(CONNECTED_SELECTOR).waitFor({ state: "visible" });
    });
    const roomInPage = await connectedAt(page);
    const totalMs = performance.now() - started;
    // The same visit again on the same server, everything compiled: what the first visit would cost with no compiling left.
    const again = await context.newPage();
    await again.goto(`${base}/rooms/${ROOM}`, { waitUntil: "commit" });
    await again.locator(CONNECTED_SELECTOR).waitFor({ state: "visible" });
    const secondInPage = await connectedAt(again);

    return {
      name: "first-visit",
      title: `First visit on a fresh clone: npm run dev, then /, sign-in and /rooms/${ROOM} until connected (next dev${WARM_UP ? "" : ", warm-up off"})`,
      goals: [
        goal(
          "4",
          "first room visit on a fresh clone (next dev), nav start -> connected",
          roomInPage,
          `${(roomInPage / 1000).toFixed(2)} s`,
          `< ${FIRST_VISIT_TARGET_MS / 1000} s`,
          roomInPage < FIRST_VISIT_TARGET_MS,
        ),
      ],
      rows: [
        row(
          `room page, nav start -> connected (ms)`,
          roomInPage,
          Number.NaN,
          `< ${FIRST_VISIT_TARGET_MS} ms`,
          roomInPage < FIRST_VISIT_TARGET_MS,
        ),
        row("room page, wall clock incl. the browser driver (ms)", room.ms, Number.NaN),
        row("room page, first visit vs a second visit to the same server (ms)", roomInPage, secondInPage),
        row("npm run dev -> next dev Ready (ms)", readyMs, Number.NaN),
        row("npm run dev -> warm-up done (ms)", warmedMs, Number.NaN),
        row("home page first load (ms)", home.ms, Number.NaN),
        row("sign-in: page load + submit + redirect (ms)", signIn.ms, Number.NaN),
        row("npm run dev -> connected in the room, total (ms)", totalMs, Number.NaN),
      ],
      notes: [
        "A private copy of the working tree (tracked + untracked-not-ignored files, hard-linked node_modules) with no .next and no .meshagent-dev: npm run dev generates its secrets as on a fresh clone.",
        hasWarmUp
          ? WARM_UP
            ? "The browser starts when npm run dev prints its warm-up line (tooling/scripts/warm-up.ts)."
            : "Warm-up turned off (DEV_WARM_UP=false): the browser starts at next dev's Ready line."
          : "This tree has no tooling/scripts/warm-up.ts: the browser starts at next dev's Ready line.",
        "One headless Chromium context, empty cache; Turbopack's persistent cache starts empty too. The second visit (new tab, same context and server) shows what next dev costs once nothing is left to compile.",
      ],
      details: {
        warmUp: WARM_UP && hasWarmUp,
        readyMs,
        warmedMs,
        homeMs: home.ms,
        signInMs: signIn.ms,
        roomMs: room.ms,
        roomInPage,
        totalMs,
      },
    };
  } catch (error) {
    throw new Error(
      `${error instanceof Error ? error.message : String(error)}\n--- npm run dev output:\n${tail(dev.output(), 40)}`,
    );
  } finally {
    await context.close().catch(() => {});
    await dev.stop();
    // next dev's server and Turbopack may still be exiting (and writing .next) after the group leader.
    for (let i = 0; i < 50 && groupAlive(dev.child.pid); i++) await sleep(200);
    copy.dispose();
  }
}
