/**
 * Rate-limiter memory (issue 19 M5): resident set of a `next start` with the
 * default limits before and after 15,000 refused-for-the-most-part requests:
 * sign-in POSTs with a random name each from one address, and token requests
 * with a random X-Forwarded-For each (forwarded headers trusted, the worst
 * case). Goal: at most +50 MiB for each run. Before the fix every counted
 * key's expiry timer kept its request alive for the 60 s window.
 */

import { randomBytes } from "node:crypto";
import autocannon from "autocannon";
import type { BenchContext } from "./lib/context";
import { BENCH_ROOM } from "./lib/context";
import { existingBuild, startApp } from "./lib/app";
import { freePort } from "./lib/ports";
import { sleep } from "./lib/proc";
import { groupRssBytes } from "./lib/proc-stats";
import { goal, row, type BenchResult } from "./lib/table";

const REQUESTS = Number(process.env.BENCH_LIMITER_REQUESTS ?? 15_000);
const BOUND_MIB = 50;
const mib = (bytes: number) => bytes / (1024 * 1024);

/** REQUESTS requests made by `request`, 10 at a time; resolves with the count of each status. */
function flood(
  url: string,
  request: () => autocannon.Request,
): Promise<{ statuses: Record<number, number>; errors: number }> {
  const statuses: Record<number, number> = {};
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url,
        connections: 10,
        pipelining: 1,
        timeout: 10,
        amount: REQUESTS,
        requests: [{ setupRequest: (base: autocannon.Request) => ({ ...base, ...request() }) }],
      },
      (error, result) => (error ? reject(error) : resolve({ statuses, errors: result.errors })),
    );
    instance.on("response", (_client: unknown, status: number) => (statuses[status] = (statuses[status] ?? 0) + 1));
  });
}

const randomName = () => `n${randomBytes(6).toString("hex")}`;
const randomIp = () => Array.from(randomBytes(4), (byte) => String(byte)).join(".");

export async function limiterMemory(ctx: BenchContext): Promise<Omit<BenchResult, "durationMs">> {
  await ctx.app();
  const dir = existingBuild();
  if (!dir) throw new Error("no build");
  const room = await ctx.roomServer();
  const cookie = await ctx.cookieHeader();
  const scenarios = [
    {
      label: "sign-in POSTs, random names, one address",
      path: "/api/auth/callback/dev-login",
      request: (): autocannon.Request => ({
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ name: randomName(), callbackUrl: "/", csrfToken: "x" }).toString(),
      }),
    },
    {
      label: "token requests, random X-Forwarded-For",
      path: `/api/room-connection?room=${BENCH_ROOM}`,
      request: (): autocannon.Request => ({ method: "GET", headers: { cookie, "x-forwarded-for": randomIp() } }),
    },
    {
      // Reference: what 15,000 requests cost a `next start` with no rate limit in the way.
      label: "reference: GET /api/auth/providers (not rate limited)",
      path: "/api/auth/providers",
      request: (): autocannon.Request => ({ method: "GET", headers: {} }),
      reference: true,
    },
  ];
  const rows = [];
  const goals = [];
  const details: Record<string, unknown> = {};
  for (const [index, scenario] of scenarios.entries()) {
    // A fresh server per scenario, with the default limits.
    const app = await startApp({
      dir,
      port: await freePort(3300),
      authSecret: ctx.authSecret,
      roomUrl: room.url,
      roomSecret: ctx.roomSecret,
      extra: {
        RATE_LIMIT_ROOM_CONNECTION_PER_IP: "300",
        RATE_LIMIT_ROOM_CONNECTION_PER_USER: "60",
        TRUST_PROXY: "true",
      },
    });
    try {
      const pgid = app.proc.child.pid;
      // Warm the route first, so compiling and caching it is not counted as growth.
      await fetch(`${app.url}${scenario.path}`, { method: "GET", headers: { cookie } }).then((r) => r.body?.cancel());
      await sleep(1500);
      const before = groupRssBytes(pgid);
      ctx.log(`limiter-memory: ${REQUESTS} ${scenario.label}…`);
      const result = await flood(`${app.url}${scenario.path}`, scenario.request);
      await sleep(1500);
      const after = groupRssBytes(pgid);
      const growth = mib(after - before);
      const answered = Object.values(result.statuses).reduce((sum, count) => sum + count, 0);
      details[scenario.label] = { before, after, statuses: result.statuses, errors: result.errors };
      if (!("reference" in scenario))
        goals.push(
          goal(
            `M5${"ab"[index]}`,
            `app RSS growth under ${REQUESTS.toLocaleString("en-US")} ${scenario.label}`,
            growth,
            `+${growth.toFixed(0)} MiB (${mib(before).toFixed(0)} -> ${mib(after).toFixed(0)})`,
            `<= +${BOUND_MIB} MiB`,
            growth <= BOUND_MIB,
          ),
        );
      rows.push(
        "reference" in scenario
          ? row(`${scenario.label}: RSS after (MiB)`, mib(after), mib(before))
          : row(`${scenario.label}: RSS after (MiB)`, mib(after), mib(before), `<= +${BOUND_MIB}`, growth <= BOUND_MIB),
        row(`${scenario.label}: answers`, answered, Number.NaN, JSON.stringify(result.statuses), answered === REQUESTS),
      );
    } finally {
      await app.proc.stop();
    }
  }
  return {
    name: "limiter-memory",
    goals,
    title: `App server RSS under ${REQUESTS.toLocaleString("en-US")} rate-limited requests (default limits, next start)`,
    rows,
    notes: [
      "RSS of the `next start` process group from /proc, 1.5 s after a warm-up request and 1.5 s after the flood; 10 connections; reference column: RSS before.",
    ],
    details,
  };
}
