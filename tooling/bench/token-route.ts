/**
 * 1. Token route: requests/s and p50/p99 latency of GET /api/room-connection
 * with a signed-in session cookie on `next start`, against a bare node:http
 * server that signs the identical JWT with jose (bench/lib/bare-http-child.ts).
 * autocannon on loopback, same connections and duration for both.
 */

import type { BenchContext } from "./lib/context";
import { BENCH_ROOM } from "./lib/context";
import { decodeJwt, fetchCredentials, sameToken, startBareHttp } from "./lib/credentials";
import { load, type LoadResult } from "./lib/load";
import { ratio } from "./lib/stats";
import { row, type BenchResult } from "./lib/table";

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 3);
/** The diagnostic runs (1 connection, Next.js floor). */
const SHORT_SECONDS = Number(process.env.BENCH_SHORT_SECONDS ?? 5);

export async function tokenRoute(ctx: BenchContext): Promise<Omit<BenchResult, "durationMs">> {
  const app = await ctx.app();
  const cookie = await ctx.cookieHeader();
  const path = `/api/room-connection?room=${BENCH_ROOM}`;
  const appCredentials = await fetchCredentials(`${app.url}${path}`, cookie);
  const bare = await startBareHttp(ctx, appCredentials);
  try {
    const bareUrl = `${bare.url}${path}`;
    const bareCredentials = await fetchCredentials(bareUrl, cookie);
    if (!sameToken(appCredentials.jwt, bareCredentials.jwt)) {
      throw new Error(
        `the bare server's JWT differs from the app's:\n${JSON.stringify(decodeJwt(appCredentials.jwt))}\n${JSON.stringify(decodeJwt(bareCredentials.jwt))}`,
      );
    }

    const common = { headers: { cookie }, connections: CONNECTIONS, warmupSeconds: WARMUP_SECONDS, seconds: SECONDS };
    ctx.log(`token-route: app ${WARMUP_SECONDS} s warm-up + ${SECONDS} s at ${CONNECTIONS} connections…`);
    const appLoad = await load({ url: `${app.url}${path}`, ...common });
    ctx.log(`token-route: bare ${WARMUP_SECONDS} s warm-up + ${SECONDS} s…`);
    const bareLoad = await load({ url: bareUrl, ...common });
    // Diagnostics: service time without queueing, and what a route costs in Next.js with no session work at all.
    const short = { headers: { cookie }, warmupSeconds: 2, seconds: SHORT_SECONDS };
    ctx.log(`token-route: 1-connection latency and Next.js floor (${SHORT_SECONDS} s each)…`);
    const appSingle = await load({ url: `${app.url}${path}`, ...short, connections: 1 });
    const bareSingle = await load({ url: bareUrl, ...short, connections: 1 });
    const floor = await load({ url: `${app.url}/api/auth/providers`, ...short, connections: CONNECTIONS });

    const failures = (r: LoadResult) => r.non2xx + r.errors + r.timeouts;
    const throughputRatio = ratio(appLoad.requestsPerSecond, bareLoad.requestsPerSecond);
    return {
      name: "token-route",
      title: "1. Token route: GET /api/room-connection (next start) vs bare node:http + jose",
      rows: [
        row(
          `requests/s (${CONNECTIONS} conn.)`,
          appLoad.requestsPerSecond,
          bareLoad.requestsPerSecond,
          ">= 50 % of baseline",
          throughputRatio >= 0.5,
        ),
        row(`p50 latency, ${CONNECTIONS} conn. (ms)`, appLoad.p50Ms, bareLoad.p50Ms),
        row(`p99 latency, ${CONNECTIONS} conn. (ms)`, appLoad.p99Ms, bareLoad.p99Ms, "app < 20 ms", appLoad.p99Ms < 20),
        row(
          "non-2xx + errors + timeouts",
          failures(appLoad),
          failures(bareLoad),
          "0",
          failures(appLoad) === 0 && failures(bareLoad) === 0,
        ),
        row("p50 latency, 1 connection (ms)", appSingle.p50Ms, bareSingle.p50Ms),
        row("p99 latency, 1 connection (ms)", appSingle.p99Ms, bareSingle.p99Ms),
        row(
          `Next.js floor: GET /api/auth/providers requests/s (${CONNECTIONS} conn.)`,
          floor.requestsPerSecond,
          bareLoad.requestsPerSecond,
        ),
      ],
      notes: [
        `autocannon ${CONNECTIONS} connections, pipelining 1, ${WARMUP_SECONDS} s warm-up then ${SECONDS} s each, loopback; same Cookie header to both.`,
        "Bare server JWT checked identical to the app's (header and every claim but exp).",
        `Diagnostics (${SHORT_SECONDS} s each after 2 s warm-up): the same request on 1 connection (service time without queueing), and the Next.js floor — a next-auth route that reads no session and signs nothing, against the bare server's ${CONNECTIONS}-connection throughput.`,
        `Latency from autocannon's per-response timings (sub-ms); autocannon's own 1 ms histogram: app p50/p99 ${appLoad.autocannon.p50}/${appLoad.autocannon.p99} ms, bare ${bareLoad.autocannon.p50}/${bareLoad.autocannon.p99} ms.`,
      ],
      details: {
        connections: CONNECTIONS,
        seconds: SECONDS,
        warmupSeconds: WARMUP_SECONDS,
        app: appLoad,
        bare: bareLoad,
        appSingle,
        bareSingle,
        nextFloor: floor,
        claims: decodeJwt(appCredentials.jwt).claims,
      },
    };
  } finally {
    await bare.proc.stop();
  }
}
