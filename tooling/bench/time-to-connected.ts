/**
 * 2. Time to connected: headless Chromium, navigation start -> connected view
 * visible, on a warm `next start` + local room server; median of N fresh pages
 * in one signed-in context. Baseline: a bare static HTML page whose script
 * (the SDK bundled by esbuild) does the same fetch + WebSocket handshake +
 * messaging enable, served with the same token signing by a tiny node:http
 * server. App and bare navigations are interleaved so noise hits both alike.
 */

import type { BrowserContext } from "@playwright/test";
import { bundleBarePage } from "./lib/bare-page";
import { CONNECTED_PROBE, CONNECTED_SELECTOR, HYDRATED_PROBE, SOCKET_PROBE } from "./lib/browser";
import type { BenchContext } from "./lib/context";
import { BENCH_ROOM } from "./lib/context";
import { fetchCredentials, startBareHttp } from "./lib/credentials";
import { median, percentile, ratio } from "./lib/stats";
import { goal, row, type BenchResult } from "./lib/table";

const RUNS = Number(process.env.BENCH_TTC_RUNS ?? 20);
const WARMUP = Number(process.env.BENCH_TTC_WARMUP ?? 3);
const NAV_TIMEOUT_MS = 15_000;
/** Goal 1: the room page connects within this multiple of the bare page's time. */
const TTC_TARGET_RATIO = 1.5;

interface Sample {
  /** navigation start -> connected marker visible (the measured number). */
  connected: number;
  /** Breakdown, all ms since navigation start. */
  socketCreated: number;
  ttfb: number;
  domContentLoaded: number;
  tokenFetchStart: number;
  tokenFetchEnd: number;
}

async function measure(context: BrowserContext, url: string): Promise<Sample> {
  const page = await context.newPage();
  try {
    await page.goto(url, { waitUntil: "commit", timeout: NAV_TIMEOUT_MS });
    await page.locator(CONNECTED_SELECTOR).waitFor({ state: "visible", timeout: NAV_TIMEOUT_MS });
    return await page.evaluate(() => {
      const w = window as unknown as { __benchConnectedAt?: number; __benchSocketAt?: number };
      const nav = performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming | undefined;
      const token = performance
        .getEntriesByType("resource")
        .find((entry) => entry.name.includes("/api/room-connection")) as PerformanceResourceTiming | undefined;
      return {
        connected: w.__benchConnectedAt ?? Number.NaN,
        socketCreated: w.__benchSocketAt ?? Number.NaN,
        ttfb: nav?.responseStart ?? Number.NaN,
        domContentLoaded: nav?.domContentLoadedEventEnd ?? Number.NaN,
        tokenFetchStart: token?.startTime ?? Number.NaN,
        tokenFetchEnd: token?.responseEnd ?? Number.NaN,
      };
    });
  } finally {
    await page.close();
  }
}

/** The framework floor: navigation start -> the page's last control hydrated (HYDRATED_PROBE). */
async function measureHydrated(context: BrowserContext, url: string): Promise<number> {
  const page = await context.newPage();
  try {
    await page.goto(url, { waitUntil: "commit", timeout: NAV_TIMEOUT_MS });
    await page.waitForFunction(() => (window as { __benchHydratedAt?: number }).__benchHydratedAt !== undefined, null, {
      timeout: NAV_TIMEOUT_MS,
    });
    return await page.evaluate(() => (window as unknown as { __benchHydratedAt: number }).__benchHydratedAt);
  } finally {
    await page.close();
  }
}

function summarize(samples: Sample[]) {
  const pick = (key: keyof Sample) => samples.map((s) => s[key]);
  return {
    median: median(pick("connected")),
    p90: percentile(pick("connected"), 90),
    min: Math.min(...pick("connected")),
    max: Math.max(...pick("connected")),
    medianSocketCreated: median(pick("socketCreated")),
    medianTtfb: median(pick("ttfb")),
    medianDomContentLoaded: median(pick("domContentLoaded")),
    medianTokenFetchStart: median(pick("tokenFetchStart")),
    medianTokenFetchEnd: median(pick("tokenFetchEnd")),
    samples: pick("connected"),
  };
}

export async function timeToConnected(ctx: BenchContext): Promise<Omit<BenchResult, "durationMs">> {
  const app = await ctx.app();
  await ctx.roomServer();
  const cookie = await ctx.cookieHeader();
  const appCredentials = await fetchCredentials(`${app.url}/api/room-connection?room=${BENCH_ROOM}`, cookie);
  const bundle = await bundleBarePage();
  const bare = await startBareHttp(ctx, appCredentials, bundle.file);
  const browser = await ctx.browser();
  const appContext = await ctx.signedInContext();
  const bareContext = await browser.newContext();
  const floorContext = await ctx.signedInContext();
  try {
    for (const context of [appContext, bareContext]) {
      await context.addInitScript(CONNECTED_PROBE);
      await context.addInitScript(SOCKET_PROBE);
    }
    await floorContext.addInitScript(HYDRATED_PROBE);
    const homeUrl = `${app.url}/`;
    const appUrl = `${app.url}/rooms/${BENCH_ROOM}`;
    const bareUrl = `${bare.url}/bare?room=${BENCH_ROOM}`;

    ctx.log(`time-to-connected: ${WARMUP} warm-up + ${RUNS} measured navigations each…`);
    for (let i = 0; i < WARMUP; i++) {
      await measure(appContext, appUrl);
      await measure(bareContext, bareUrl);
      await measureHydrated(floorContext, homeUrl);
    }
    const appSamples: Sample[] = [];
    const bareSamples: Sample[] = [];
    const floorSamples: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      appSamples.push(await measure(appContext, appUrl));
      bareSamples.push(await measure(bareContext, bareUrl));
      floorSamples.push(await measureHydrated(floorContext, homeUrl));
    }
    const a = summarize(appSamples);
    const b = summarize(bareSamples);
    const r = ratio(a.median, b.median);
    const floor = median(floorSamples);
    return {
      name: "time-to-connected",
      title: `Time to connected: /rooms/${BENCH_ROOM} (next start) vs bare HTML + esbuild SDK bundle`,
      goals: [
        goal(
          "1",
          `time to connected vs the bare page (median of ${RUNS}, warm server)`,
          r,
          `${r.toFixed(2)}x (${Math.round(a.median)} vs ${Math.round(b.median)} ms)`,
          `<= ${TTC_TARGET_RATIO}x`,
          r <= TTC_TARGET_RATIO,
        ),
      ],
      rows: [
        row(
          "median nav start -> connected (ms)",
          a.median,
          b.median,
          `ratio <= ${TTC_TARGET_RATIO}`,
          r <= TTC_TARGET_RATIO,
        ),
        row("p90 (ms)", a.p90, b.p90),
        row(
          "min / max (ms)",
          `${Math.round(a.min)} / ${Math.round(a.max)}`,
          `${Math.round(b.min)} / ${Math.round(b.max)}`,
        ),
        row("median WebSocket created (ms)", a.medianSocketCreated, b.medianSocketCreated),
        row(
          "framework floor: home page (no room code) hydrated vs bare connected (ms)",
          floor,
          b.median,
          `>= ${TTC_TARGET_RATIO}x means goal 1 is below Next.js + React's own floor here`,
        ),
        row("room page connected vs the framework floor (ms)", a.median, floor),
        row("median TTFB of the HTML (ms)", a.medianTtfb, b.medianTtfb),
        row("median DOMContentLoaded (ms)", a.medianDomContentLoaded, b.medianDomContentLoaded),
        row("median credentials fetch start (ms)", a.medianTokenFetchStart, b.medianTokenFetchStart),
        row("median credentials fetch end (ms)", a.medianTokenFetchEnd, b.medianTokenFetchEnd),
      ],
      notes: [
        `${RUNS} fresh pages each (after ${WARMUP} warm-up), app and bare interleaved; app pages share one signed-in context, bare pages their own; HTTP cache warm in both.`,
        "Measured in the page: performance.now() (ms since navigation start) when a MutationObserver first sees the connected marker laid out.",
        "Framework floor: the signed-in home page of the same build (no room code, no SDK), navigation start -> React has hydrated the last link/button/input in <main>; interleaved with the other two. The room page cannot show a React-rendered connected view before its own page has hydrated.",
        `Bare page script: ${(bundle.bytes / 1024).toFixed(0)} KiB minified, ${(bundle.gzipBytes / 1024).toFixed(0)} KiB gzip (served uncompressed over loopback).`,
      ],
      details: {
        runs: RUNS,
        warmup: WARMUP,
        app: a,
        bare: b,
        floor: { median: floor, samples: floorSamples },
        bareBundle: { bytes: bundle.bytes, gzipBytes: bundle.gzipBytes },
      },
    };
  } finally {
    await Promise.allSettled([appContext.close(), bareContext.close(), floorContext.close()]);
    await bare.proc.stop();
    bundle.dispose();
  }
}
