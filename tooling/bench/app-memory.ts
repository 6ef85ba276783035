/**
 * App server memory under the token route: resident set of the `next start`
 * process group after 1,000 and after 10,000 GET /api/room-connection
 * requests. A leak per request (a cache keyed by token, listeners that pile
 * up) shows as growth between the two; the warm-up is the first 1,000.
 */

import type { BenchContext } from "./lib/context";
import { BENCH_ROOM } from "./lib/context";
import { load } from "./lib/load";
import { sleep } from "./lib/proc";
import { groupRssBytes } from "./lib/proc-stats";
import { ratio } from "./lib/stats";
import { goal, row, type BenchResult } from "./lib/table";

const FIRST = Number(process.env.BENCH_MEMORY_FIRST ?? 1000);
const TOTAL = Number(process.env.BENCH_MEMORY_TOTAL ?? 10_000);
/** "No growth beyond noise": RSS after TOTAL within this factor of RSS after FIRST. */
const MEMORY_GROWTH_TARGET = 1.1;

export async function appMemory(ctx: BenchContext): Promise<Omit<BenchResult, "durationMs">> {
  const app = await ctx.app();
  const headers = { cookie: await ctx.cookieHeader() };
  const url = `${app.url}/api/room-connection?room=${BENCH_ROOM}`;
  const pgid = app.proc.child.pid;
  const settle = async () => {
    // Let pending work and a scavenge finish before reading the resident set.
    await sleep(1500);
    return groupRssBytes(pgid);
  };
  const before = await settle();
  ctx.log(`app-memory: ${FIRST} token requests…`);
  const first = await load({ url, headers, connections: 10, warmupSeconds: 0, seconds: 0, amount: FIRST });
  const afterFirst = await settle();
  ctx.log(`app-memory: ${TOTAL - FIRST} more…`);
  const rest = await load({ url, headers, connections: 10, warmupSeconds: 0, seconds: 0, amount: TOTAL - FIRST });
  const afterTotal = await settle();
  const growth = ratio(afterTotal, afterFirst);
  const mib = (bytes: number) => bytes / (1024 * 1024);
  const failed = first.non2xx + first.errors + rest.non2xx + rest.errors;
  return {
    name: "app-memory",
    goals: [
      goal(
        "3c",
        `app server RSS after ${TOTAL / 1000}k vs ${FIRST / 1000}k token requests`,
        growth,
        `${growth.toFixed(2)}x (${mib(afterTotal).toFixed(0)} vs ${mib(afterFirst).toFixed(0)} MiB)`,
        `<= ${MEMORY_GROWTH_TARGET}x`,
        growth <= MEMORY_GROWTH_TARGET,
      ),
    ],
    title: `App server RSS after ${TOTAL.toLocaleString("en-US")} vs ${FIRST.toLocaleString("en-US")} token requests (next start)`,
    rows: [
      row(
        `RSS after ${TOTAL.toLocaleString("en-US")} vs after ${FIRST.toLocaleString("en-US")} requests (MiB)`,
        mib(afterTotal),
        mib(afterFirst),
        `<= ${MEMORY_GROWTH_TARGET}x`,
        growth <= MEMORY_GROWTH_TARGET,
      ),
      row("RSS before these requests (MiB)", mib(before), Number.NaN),
      row("failed requests", failed, Number.NaN, "0", failed === 0),
    ],
    notes: [
      "RSS summed over the `next start` process group, read from /proc 1.5 s after each batch; 10 connections; the server had already served the page benchmarks.",
    ],
    details: { first: FIRST, total: TOTAL, rssBytes: { before, afterFirst, afterTotal }, growth },
  };
}
