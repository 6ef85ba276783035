/**
 * Diagnostic for a loaded machine: server CPU time per request of the token
 * route vs the Next.js floor (`/api/auth/providers`), on one `next start` of
 * an existing build. Throughput on a busy 2-core box swings with everyone
 * else's load; CPU-ms per request does not, and its ratio is the throughput
 * ratio a saturated server would reach.
 *
 *   npx tsx tooling/bench/token-cpu.ts <app dir with a .next-bench build> [rounds]
 */

import { spawn } from "node:child_process";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import autocannon from "autocannon";
import { encode } from "next-auth/jwt";

const appDir = path.resolve(process.argv[2] ?? ".");
const rounds = Number(process.argv[3] ?? 3);
const port = 3290 + Math.floor(Math.random() * 9);
const url = `http://127.0.0.1:${port}`;
const secret = "token-cpu-auth-secret-0123456789";

const ticks = Number(execFileSync("getconf", ["CLK_TCK"]).toString().trim());
function treeCpuMs(pid: number): number {
  let total = 0;
  const stack = [pid];
  while (stack.length) {
    const current = stack.pop()!;
    try {
      const fields = readFileSync(`/proc/${current}/stat`, "utf8").split(") ")[1].split(" ");
      total += Number(fields[11]) + Number(fields[12]);
      const children = readFileSync(`/proc/${current}/task/${current}/children`, "utf8").trim();
      if (children) stack.push(...children.split(" ").map(Number));
    } catch {
      // gone
    }
  }
  return (total / ticks) * 1000;
}

const server = spawn(
  process.execPath,
  [path.join(appDir, "node_modules/next/dist/bin/next"), "start", "-p", String(port), "-H", "127.0.0.1"],
  {
    cwd: appDir,
    env: {
      ...process.env,
      NODE_ENV: "production",
      NEXT_DIST_DIR: ".next-bench",
      NEXT_TELEMETRY_DISABLED: "1",
      AUTH_SECRET: secret,
      AUTH_TRUST_HOST: "true",
      AUTH_DEV_LOGIN: "true",
      AUTH_URL: url,
      MESHAGENT_API_URL: "ws://127.0.0.1:7999",
      MESHAGENT_SECRET: "token-cpu-room-secret",
      MESHAGENT_TOKEN_TTL_SECONDS: "600",
    },
    stdio: "ignore",
  },
);

async function waitUp() {
  for (let i = 0; i < 600; i++) {
    try {
      if ((await fetch(`${url}/api/auth/providers`)).ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("server did not start");
}

function run(target: string, connections: number, duration: number, cookie: string) {
  return new Promise<autocannon.Result>((resolve, reject) =>
    autocannon({ url: `${url}${target}`, connections, duration, headers: { cookie } }, (error, result) =>
      error ? reject(error) : resolve(result),
    ),
  );
}

try {
  await waitUp();
  const name = "authjs.session-token";
  const cookie = `${name}=${await encode({ token: { sub: "dev:bench user", name: "Bench User", email: null, picture: null }, secret, salt: name })}`;
  const check = await fetch(`${url}/api/room-connection?room=bench`, { headers: { cookie } });
  if (!check.ok) throw new Error(`route answered ${check.status}: ${await check.text()}`);
  const targets = { route: "/api/room-connection?room=bench", floor: "/api/auth/providers" };
  for (const target of Object.values(targets)) await run(target, 10, 3, cookie); // warm-up
  const totals: Record<string, { requests: number; cpuMs: number; seconds: number; non2xx: number }> = {};
  for (let round = 0; round < rounds; round++) {
    for (const [label, target] of Object.entries(targets)) {
      const before = treeCpuMs(server.pid!);
      const result = await run(target, 10, 5, cookie);
      const cpu = treeCpuMs(server.pid!) - before;
      const t = (totals[label] ??= { requests: 0, cpuMs: 0, seconds: 0, non2xx: 0 });
      t.requests += result.requests.total;
      t.cpuMs += cpu;
      t.seconds += result.duration;
      t.non2xx += result.non2xx + result.errors;
    }
  }
  const single = await run(targets.route, 1, 5, cookie);
  const perRequest = (label: string) => totals[label].cpuMs / totals[label].requests;
  for (const label of Object.keys(totals)) {
    const t = totals[label];
    console.log(
      `${label}: ${t.requests} requests, ${(t.requests / t.seconds).toFixed(0)} req/s, ${perRequest(label).toFixed(3)} CPU-ms/request, non-2xx+errors ${t.non2xx}`,
    );
  }
  console.log(`route/floor by CPU per request: ${((perRequest("floor") / perRequest("route")) * 100).toFixed(0)} %`);
  console.log(
    `route/floor by req/s in the same rounds: ${((totals.route.requests / totals.route.seconds / (totals.floor.requests / totals.floor.seconds)) * 100).toFixed(0)} %`,
  );
  console.log(
    `route 1 connection: p50 ${single.latency.p50} ms, p99 ${single.latency.p99} ms, max ${single.latency.max} ms`,
  );
} finally {
  server.kill("SIGTERM");
}
