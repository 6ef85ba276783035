/**
 * 3. Room page JavaScript: gzip bytes (zlib default level) of every script
 * the room page loads until it is connected and the network is idle, against
 * a plain page of the same app (the signed-in home page). Each page loads in
 * a fresh signed-in context, so the HTTP cache is empty. Lists the largest
 * chunks and guesses which packages they hold from marker strings.
 */

import { gzipSync } from "node:zlib";
import type { Response } from "@playwright/test";
import { CONNECTED_SELECTOR } from "./lib/browser";
import type { BenchContext } from "./lib/context";
import { BENCH_ROOM } from "./lib/context";
import { sleep } from "./lib/proc";
import { ratio } from "./lib/stats";
import { goal, row, type BenchResult } from "./lib/table";

/** Goal 5: the room page's scripts (gzip) stay within this multiple of the home page's. */
const PAGE_JS_TARGET_RATIO = 1.25;

interface Script {
  name: string;
  bytes: number;
  gzipBytes: number;
  packages: string[];
}

/** Marker strings that survive minification, to say what a chunk contains. */
const MARKERS: [string, RegExp][] = [
  ["@kayahr/text-encoding (CJK tables)", /gb18030|euc-kr|big5/i],
  ["yjs (SDK runtime/entrypoint)", /Yjs was already imported|Unexpected content type/],
  ["livekit-client", /livekit-client|LivekitError|LKRoom|RTCPeerConnection/],
  ["@meshagent/meshagent", /GOT RESPONSE|the participant was not found|room\.invoke_tool|agent\.call/],
  ["react-dom", /__reactFiber\$|__reactContainer\$/],
  ["next app-router runtime", /next-router-state-tree|__next_f/i],
  ["jose", /JWSSignatureVerificationFailed|JOSEError|JWTExpired/],
  ["zod", /ZodError|\$ZodType/],
  ["next-auth", /\/api\/auth\/session|next-auth/],
];

function scriptName(url: string): string {
  const { pathname } = new URL(url);
  return pathname.replace(/^\/_next\/static\/chunks\//, "");
}

async function loadScripts(ctx: BenchContext, url: string, waitForConnected: boolean): Promise<Script[]> {
  const context = await ctx.signedInContext();
  const page = await context.newPage();
  const responses: Response[] = [];
  page.on("response", (response) => {
    if (response.request().resourceType() === "script") responses.push(response);
  });
  try {
    await page.goto(url, { waitUntil: "load", timeout: 30_000 });
    if (waitForConnected) await page.locator(CONNECTED_SELECTOR).waitFor({ state: "visible", timeout: 15_000 });
    await page.waitForLoadState("networkidle", { timeout: 15_000 }).catch(() => {});
    // Idle-time prefetches (next/link) get a moment too.
    await sleep(1000);
    const scripts: Script[] = [];
    const seen = new Set<string>();
    for (const response of [...responses]) {
      if (seen.has(response.url())) continue;
      seen.add(response.url());
      const body = await response.body();
      const text = body.toString("utf8");
      scripts.push({
        name: scriptName(response.url()),
        bytes: body.length,
        gzipBytes: gzipSync(body).length,
        packages: MARKERS.filter(([, pattern]) => pattern.test(text)).map(([name]) => name),
      });
    }
    return scripts.sort((a, b) => b.gzipBytes - a.gzipBytes);
  } finally {
    await context.close();
  }
}

const kib = (bytes: number) => bytes / 1024;
const sum = (scripts: Script[], key: "bytes" | "gzipBytes") => scripts.reduce((total, s) => total + s[key], 0);

export async function pageJs(ctx: BenchContext): Promise<Omit<BenchResult, "durationMs">> {
  const app = await ctx.app();
  await ctx.roomServer();
  ctx.log("page-js: loading /rooms/bench and / in fresh contexts…");
  const room = await loadScripts(ctx, `${app.url}/rooms/${BENCH_ROOM}`, true);
  const home = await loadScripts(ctx, `${app.url}/`, false);
  const homeNames = new Set(home.map((s) => s.name));
  const roomOnly = room.filter((s) => !homeNames.has(s.name));
  const roomGzip = sum(room, "gzipBytes");
  const homeGzip = sum(home, "gzipBytes");

  const largest = room
    .slice(0, 8)
    .map(
      (s) =>
        `\`${s.name}\`: ${kib(s.gzipBytes).toFixed(1)} KiB gzip (${kib(s.bytes).toFixed(0)} KiB raw)${homeNames.has(s.name) ? ", shared with /" : ", room page only"}${s.packages.length ? ` — ${s.packages.join(", ")}` : ""}`,
    );
  const r = ratio(roomGzip, homeGzip);
  return {
    name: "page-js",
    title: `Page JavaScript: /rooms/${BENCH_ROOM} vs / (gzip, zlib default level)`,
    goals: [
      goal(
        "5",
        "room page JS vs home page JS (gzip)",
        r,
        `${r.toFixed(2)}x (${kib(roomGzip).toFixed(0)} vs ${kib(homeGzip).toFixed(0)} KiB)`,
        `<= ${PAGE_JS_TARGET_RATIO}x`,
        r <= PAGE_JS_TARGET_RATIO,
      ),
    ],
    rows: [
      row(
        "scripts gzip (KiB)",
        kib(roomGzip),
        kib(homeGzip),
        `ratio <= ${PAGE_JS_TARGET_RATIO}`,
        r <= PAGE_JS_TARGET_RATIO,
      ),
      row("scripts raw (KiB)", kib(sum(room, "bytes")), kib(sum(home, "bytes"))),
      row("script count", room.length, home.length),
      row("room-page-only scripts gzip (KiB)", kib(sum(roomOnly, "gzipBytes")), 0),
    ],
    notes: ["Largest scripts on the room page:", ...largest.map((line) => `  ${line}`)],
    details: {
      targetRatio: PAGE_JS_TARGET_RATIO,
      room: { gzipBytes: roomGzip, bytes: sum(room, "bytes"), scripts: room },
      home: { gzipBytes: homeGzip, bytes: sum(home, "bytes"), scripts: home },
      roomOnly: roomOnly.map((s) => s.name),
    },
  };
}
