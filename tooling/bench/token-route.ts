/**
 * Token route, as a curve: requests/s and p50/p99 latency of
 * GET /api/room-connection (signed-in session cookie, `next start`) and of
 * the Next.js floor, GET /api/auth/providers (a next-auth route that reads no
 * session and signs nothing), at 1, 10 and 50 connections, interleaved so
 * noise hits both alike. Goal 2 compares the two at 10 connections.
 * For reference, a bare node:http server signing the identical JWT with jose
 * (lib/bare-http-child.ts) at 10 connections.
 */

import type { BenchContext } from "./lib/context";
import { BENCH_ROOM } from "./lib/context";
import { decodeJwt, fetchCredentials, sameToken, startBareHttp } from "./lib/credentials";
import { load, loadAlternating, type LoadResult } from "./lib/load";
import { ratio } from "./lib/stats";
import { goal, row, type BenchResult, type Row } from "./lib/table";

const CONNECTIONS = (process.env.BENCH_TOKEN_CONNECTIONS ?? "1,10,50")
  .split(",")
  .map((c) => Number(c.trim()))
  .filter((c) => Number.isInteger(c) && c > 0);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 2);
/** Token route and floor take turns this many times per point, so drifting load elsewhere hits both alike. */
const ROUNDS = Number(process.env.BENCH_TOKEN_ROUNDS ?? 4);
/** Goal 2: the token route keeps this share of the floor at 10 connections... */
const TOKEN_FLOOR_TARGET = 0.7;
/** ...and answers within this p99 on one connection. */
const TOKEN_P99_TARGET_MS = 10;

const failures = (r: LoadResult) => r.non2xx + r.errors + r.timeouts;

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

    const common = { headers: { cookie }, warmupSeconds: WARMUP_SECONDS, seconds: SECONDS };
    const curve: { connections: number; token: LoadResult; floor: LoadResult }[] = [];
    for (const connections of CONNECTIONS) {
      ctx.log(
        `token-route: ${connections} connection(s), token route and floor in ${ROUNDS} alternating rounds, ${WARMUP_SECONDS} + ${SECONDS} s each…`,
      );
      const [token, floor] = await loadAlternating(
        [`${app.url}${path}`, `${app.url}/api/auth/providers`],
        { ...common, connections },
        ROUNDS,
      );
      curve.push({ connections, token, floor });
    }
    ctx.log("token-route: bare node:http + jose at 10 connections…");
    const bareLoad = await load({ url: bareUrl, ...common, connections: 10 });

    const at10 = curve.find((p) => p.connections === 10);
    const at1 = curve.find((p) => p.connections === 1);
    const floorShare = at10 ? ratio(at10.token.requestsPerSecond, at10.floor.requestsPerSecond) : Number.NaN;
    const p99At1 = at1?.token.p99Ms ?? Number.NaN;
    const rows: Row[] = [];
    for (const { connections, token, floor } of curve) {
      const isGoalPoint = connections === 10;
      rows.push(
        row(
          `${connections} conn.: requests/s, token route vs floor`,
          token.requestsPerSecond,
          floor.requestsPerSecond,
          isGoalPoint ? `>= ${TOKEN_FLOOR_TARGET}x of the floor` : "",
          isGoalPoint ? ratio(token.requestsPerSecond, floor.requestsPerSecond) >= TOKEN_FLOOR_TARGET : null,
        ),
        row(`${connections} conn.: p50 latency (ms)`, token.p50Ms, floor.p50Ms),
        row(
          `${connections} conn.: p99 latency (ms)`,
          token.p99Ms,
          floor.p99Ms,
          connections === 1 ? `token < ${TOKEN_P99_TARGET_MS} ms` : "",
          connections === 1 ? token.p99Ms < TOKEN_P99_TARGET_MS : null,
        ),
      );
    }
    const allFailures = curve.reduce((sum, point) => sum + failures(point.token) + failures(point.floor), 0);
    rows.push(
      row("non-2xx + errors + timeouts (all runs)", allFailures, failures(bareLoad), "0", allFailures === 0),
      row(
        "reference: bare node:http + jose, 10 conn. requests/s (baseline column)",
        at10?.token.requestsPerSecond ?? Number.NaN,
        bareLoad.requestsPerSecond,
      ),
    );
    return {
      name: "token-route",
      goals: [
        goal(
          "2a",
          "token route vs the Next.js floor, 10 connections (req/s)",
          floorShare,
          at10
            ? `${floorShare.toFixed(2)}x (${Math.round(at10.token.requestsPerSecond)} vs ${Math.round(at10.floor.requestsPerSecond)} req/s)`
            : "not measured",
          `>= ${TOKEN_FLOOR_TARGET}x`,
          floorShare >= TOKEN_FLOOR_TARGET,
        ),
        goal(
          "2b",
          "token route p99 latency, 1 connection",
          p99At1,
          `${p99At1.toFixed(1)} ms`,
          `< ${TOKEN_P99_TARGET_MS} ms`,
          p99At1 < TOKEN_P99_TARGET_MS,
        ),
      ],
      title: "Token route GET /api/room-connection vs the Next.js floor GET /api/auth/providers (next start)",
      rows,
      notes: [
        `autocannon, pipelining 1, ${WARMUP_SECONDS} s warm-up then ${SECONDS} s per point and URL, in ${ROUNDS} alternating rounds of token route and floor; loopback; the same Cookie header on every request.`,
        "Baseline column = the floor, except the reference row (a bare node:http server signing the identical JWT with jose; checked identical to the app's but for exp).",
        "Latency from autocannon's per-response timings (sub-ms resolution).",
      ],
      details: {
        seconds: SECONDS,
        warmupSeconds: WARMUP_SECONDS,
        curve,
        bare: bareLoad,
        claims: decodeJwt(appCredentials.jwt).claims,
      },
    };
  } finally {
    await bare.proc.stop();
  }
}
