/**
 * Rate-limiter memory (issue 19 M5): resident set of a `next start` with the
 * default limits before and after 15,000 refused-for-the-most-part requests:
 * sign-in POSTs with a random name each from one address, and token requests
 * with a random X-Forwarded-For each (forwarded headers trusted, the worst
 * case). Goal: at most +50 MiB for each run.
 *
 * Two questions, answered apart. Does the server keep anything per request?
 * After the flood the bench forces a full collection over the inspector and
 * compares the live heap with the one before (a leak shows there, whatever the
 * settings). How far does RSS grow? That is V8's choice: with the heap limit
 * Node derives from a machine with 16 GiB or more, V8 lets the old space grow
 * to about four times the live heap before a full collection, and an idle
 * server gives nothing back. The goal is measured with the setting
 * README "Self-hosting" recommends (SELF_HOSTING_NODE_OPTIONS); one run with
 * Node's defaults shows the difference.
 */

import { randomBytes } from "node:crypto";
import autocannon from "autocannon";
import type { BenchContext } from "./lib/context";
import { BENCH_ROOM } from "./lib/context";
import { existingBuild, startApp } from "./lib/app";
import { connectInspector } from "./lib/inspector";
import { freePort } from "./lib/ports";
import { sleep } from "./lib/proc";
import { groupRssBytes } from "./lib/proc-stats";
import { goal, row, type BenchResult } from "./lib/table";

const REQUESTS = Number(process.env.BENCH_LIMITER_REQUESTS ?? 15_000);
const BOUND_MIB = 50;
/** Live heap a flood may leave behind after a full collection: optimized code, caches, the window's keys. */
const RETAINED_BOUND_MIB = 10;
const SETTLE_MS = 10_000;
/** What README "Self-hosting" recommends for `next start` (keep the two in step). */
const SELF_HOSTING_NODE_OPTIONS = "--max-old-space-size=512";
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

interface Scenario {
  label: string;
  path: string;
  request: () => autocannon.Request;
  /** Goal id for the RSS bound; none: a reference row. */
  goalId?: string;
  /** NODE_OPTIONS of the server, besides the inspector. */
  nodeOptions: string;
}

export async function limiterMemory(ctx: BenchContext): Promise<Omit<BenchResult, "durationMs">> {
  await ctx.app();
  const dir = existingBuild();
  if (!dir) throw new Error("no build");
  const room = await ctx.roomServer();
  const cookie = await ctx.cookieHeader();
  const signIn = (): autocannon.Request => ({
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ name: randomName(), callbackUrl: "/", csrfToken: "x" }).toString(),
  });
  const scenarios: Scenario[] = [
    {
      label: "sign-in POSTs, random names, one address",
      path: "/api/auth/callback/dev-login",
      request: signIn,
      goalId: "M5a",
      nodeOptions: SELF_HOSTING_NODE_OPTIONS,
    },
    {
      label: "token requests, random X-Forwarded-For",
      path: `/api/room-connection?room=${BENCH_ROOM}`,
      request: () => ({ method: "GET", headers: { cookie, "x-forwarded-for": randomIp() } }),
      goalId: "M5b",
      nodeOptions: SELF_HOSTING_NODE_OPTIONS,
    },
    {
      // What 15,000 requests cost a `next start` with no rate limit in the way.
      label: "reference: GET /api/auth/providers (not rate limited)",
      path: "/api/auth/providers",
      request: () => ({ method: "GET", headers: {} }),
      nodeOptions: SELF_HOSTING_NODE_OPTIONS,
    },
    {
      // The same sign-in flood with the heap limit Node picks for this machine.
      label: "reference: sign-in POSTs with Node's default heap limit",
      path: "/api/auth/callback/dev-login",
      request: signIn,
      nodeOptions: "",
    },
  ];
  const rows = [];
  const goals = [];
  const details: Record<string, unknown> = {};
  let worstRetained = Number.NEGATIVE_INFINITY;
  for (const scenario of scenarios) {
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
        NODE_OPTIONS: `${scenario.nodeOptions} --inspect=127.0.0.1:0`.trim(),
      },
    });
    const inspector = await connectInspector(app.proc);
    try {
      const pgid = app.proc.child.pid;
      // Warm the route first, so compiling and caching it is not counted as growth.
      await fetch(`${app.url}${scenario.path}`, { method: "GET", headers: { cookie } }).then((r) => r.body?.cancel());
      await sleep(1500);
      const before = groupRssBytes(pgid);
      await inspector.collectGarbage();
      const heapBefore = (await inspector.memoryUsage()).heapUsed;
      ctx.log(`limiter-memory: ${REQUESTS} ${scenario.label} (NODE_OPTIONS=${scenario.nodeOptions || "none"})…`);
      const result = await flood(`${app.url}${scenario.path}`, scenario.request);
      await sleep(SETTLE_MS);
      const after = groupRssBytes(pgid);
      await inspector.collectGarbage();
      const heapAfter = (await inspector.memoryUsage()).heapUsed;
      const afterGc = groupRssBytes(pgid);
      const growth = mib(after - before);
      const retained = mib(heapAfter - heapBefore);
      const answered = Object.values(result.statuses).reduce((sum, count) => sum + count, 0);
      details[scenario.label] = {
        nodeOptions: scenario.nodeOptions,
        before,
        after,
        afterGc,
        heapBefore,
        heapAfter,
        statuses: result.statuses,
        errors: result.errors,
      };
      if (scenario.goalId) {
        worstRetained = Math.max(worstRetained, retained);
        goals.push(
          goal(
            scenario.goalId,
            `app RSS growth under ${REQUESTS.toLocaleString("en-US")} ${scenario.label}`,
            growth,
            `+${growth.toFixed(0)} MiB (${mib(before).toFixed(0)} -> ${mib(after).toFixed(0)})`,
            `<= +${BOUND_MIB} MiB`,
            growth <= BOUND_MIB,
          ),
        );
      }
      rows.push(
        scenario.goalId
          ? row(`${scenario.label}: RSS after (MiB)`, mib(after), mib(before), `<= +${BOUND_MIB}`, growth <= BOUND_MIB)
          : row(`${scenario.label}: RSS after (MiB)`, mib(after), mib(before)),
        row(`${scenario.label}: RSS after a full GC (MiB)`, mib(afterGc), mib(before)),
        scenario.goalId
          ? row(
              `${scenario.label}: live heap after a full GC (MiB)`,
              mib(heapAfter),
              mib(heapBefore),
              `<= +${RETAINED_BOUND_MIB}`,
              retained <= RETAINED_BOUND_MIB,
            )
          : row(`${scenario.label}: live heap after a full GC (MiB)`, mib(heapAfter), mib(heapBefore)),
        row(`${scenario.label}: answers`, answered, Number.NaN, JSON.stringify(result.statuses), answered === REQUESTS),
      );
    } finally {
      inspector.close();
      await app.proc.stop();
    }
  }
  goals.push(
    goal(
      "M5c",
      "live heap left by a rate-limited flood, after a full GC (worst run)",
      worstRetained,
      `+${worstRetained.toFixed(1)} MiB`,
      `<= +${RETAINED_BOUND_MIB} MiB`,
      worstRetained <= RETAINED_BOUND_MIB,
    ),
  );
  return {
    name: "limiter-memory",
    goals,
    title: `App server RSS under ${REQUESTS.toLocaleString("en-US")} rate-limited requests (default limits, next start)`,
    rows,
    notes: [
      `RSS of the \`next start\` process group from /proc, 1.5 s after a warm-up request and 10 s after the flood; 10 connections; baseline column: before. A fresh server per run, with NODE_OPTIONS=${SELF_HOSTING_NODE_OPTIONS} (README "Self-hosting") except the last run.`,
      "Live heap: process.memoryUsage().heapUsed after a full collection forced over the inspector (HeapProfiler.collectGarbage), before and after the flood: what the server still holds.",
    ],
    details,
  };
}
