/**
 * npm run bench                 all four benchmarks
 * npm run bench -- fanout       one (or several) by name
 * npm run bench -- --skip-build reuse the last .next-bench build
 *
 * Prints a markdown table per benchmark and writes bench/results/latest.json.
 * Everything it starts (next build/start, room and bare servers, Chromium) is
 * stopped at the end, also on errors and Ctrl-C.
 */

import os from "node:os";
import { BenchContext } from "./lib/context";
import { RESULTS_FILE } from "./lib/paths";
import { installExitHooks, stopAll } from "./lib/proc";
import { printResult, writeResults, type BenchResult } from "./lib/table";
import { fanout } from "./fanout";
import { pageJs } from "./page-js";
import { timeToConnected } from "./time-to-connected";
import { tokenRoute } from "./token-route";

type Bench = (ctx: BenchContext) => Promise<Omit<BenchResult, "durationMs">>;

/** Run order: the page benchmarks first, the load test after, fan-out last with the app stopped. */
const BENCHES: { name: string; aliases: string[]; run: Bench; needsApp: boolean }[] = [
  { name: "page-js", aliases: ["js", "page"], run: pageJs, needsApp: true },
  { name: "time-to-connected", aliases: ["ttc", "connect"], run: timeToConnected, needsApp: true },
  { name: "token-route", aliases: ["token"], run: tokenRoute, needsApp: true },
  { name: "fanout", aliases: ["fan-out"], run: fanout, needsApp: false },
];

function usage(): never {
  console.error(`usage: npm run bench [-- [--skip-build] [${BENCHES.map((b) => b.name).join(" | ")} ...]]`);
  process.exit(2);
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const skipBuild = args.includes("--skip-build") || process.env.BENCH_SKIP_BUILD === "1";
  const names = args.filter((arg) => !arg.startsWith("--"));
  if (args.some((arg) => arg === "--help" || arg === "-h")) usage();
  const selected =
    names.length === 0
      ? BENCHES
      : names.map((name) => BENCHES.find((b) => b.name === name || b.aliases.includes(name)) ?? usage());

  const started = Date.now();
  const log = (line: string) =>
    console.error(`[bench ${((Date.now() - started) / 1000).toFixed(0).padStart(3)} s] ${line}`);
  const ctx = new BenchContext({ skipBuild, log });
  installExitHooks(() => ctx.close());

  const environment = {
    node: process.version,
    platform: `${os.platform()} ${os.arch()}`,
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model,
    loadAverageAtStart: os.loadavg().map((l) => Number(l.toFixed(2))),
  };
  log(`node ${environment.node}, ${environment.cpus} CPUs, load average ${environment.loadAverageAtStart.join(" ")}`);

  const results: (BenchResult & { loadAverage: number[] })[] = [];
  try {
    for (const bench of selected) {
      // Fan-out is CPU-bound and needs neither the app nor its room server.
      if (!bench.needsApp) await ctx.releaseServers();
      const loadAverage = os.loadavg().map((l) => Number(l.toFixed(2)));
      const benchStarted = Date.now();
      log(`${bench.name}…`);
      let result: BenchResult;
      try {
        result = { ...(await bench.run(ctx)), durationMs: Date.now() - benchStarted };
      } catch (error) {
        result = {
          name: bench.name,
          title: bench.name,
          rows: [],
          notes: [],
          details: {},
          durationMs: Date.now() - benchStarted,
          error: error instanceof Error ? (error.stack ?? error.message) : String(error),
        };
      }
      results.push({ ...result, loadAverage });
      printResult(result);
    }
  } finally {
    await ctx.close();
    await stopAll();
  }

  const totalMs = Date.now() - started;
  writeResults(RESULTS_FILE, {
    date: new Date().toISOString(),
    totalSeconds: Math.round(totalMs / 1000),
    buildSeconds: ctx.buildMs === null ? null : Math.round(ctx.buildMs / 1000),
    environment,
    results,
  });
  const failed = results.flatMap((r) =>
    r.rows.filter((row) => row.pass === false).map((row) => `${r.name}: ${row.metric}`),
  );
  const errored = results.filter((r) => r.error).map((r) => r.name);
  console.log(`\nTotal ${(totalMs / 1000).toFixed(0)} s. Results: ${RESULTS_FILE}`);
  if (failed.length > 0) console.log(`Missed targets: ${failed.join("; ")}`);
  if (errored.length > 0) console.log(`Errors: ${errored.join(", ")}`);
  return errored.length > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  async (error: unknown) => {
    console.error(error);
    await stopAll();
    process.exit(1);
  },
);
