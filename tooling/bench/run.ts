/**
 * npm run bench                 every benchmark, then the goals as MET/MISSED
 * npm run bench -- fanout       one (or several) by name or alias
 * npm run bench -- --skip-build reuse the private copy's last build
 *
 * Prints a markdown table per benchmark, then one table of the goals
 * (docs/performance.md), and writes tooling/bench/results/latest.json plus a
 * dated copy; `npm run bench:compare` diffs two such files. Everything it
 * starts (next build/start/dev, room and bare servers, Chromium) is stopped
 * at the end, also on errors and Ctrl-C.
 */

import os from "node:os";
import { agentFirstText } from "./agent-first-text";
import { agentLongAnswer } from "./agent-long-answer";
import { agentLongHistory } from "./agent-long-history";
import { agentReply } from "./agent-reply";
import { appMemory } from "./app-memory";
import { limiterMemory } from "./limiter-memory";
import { fanout } from "./fanout";
import { firstVisit } from "./first-visit";
import { BenchContext } from "./lib/context";
import { RESULTS_FILE } from "./lib/paths";
import { installExitHooks, stopAll } from "./lib/proc";
import { datedResultsFile, writeResults } from "./lib/results";
import { goalsTable, printResult, type BenchResult } from "./lib/table";
import { pageJs } from "./page-js";
import { pollVotes } from "./poll-votes";
import { roomMemory } from "./room-memory";
import { storage } from "./storage";
import { timeToConnected } from "./time-to-connected";
import { tokenRoute } from "./token-route";
import { toolCall } from "./tool-call";
import { toolCallBrowser } from "./tool-call-browser";

type Bench = (ctx: BenchContext) => Promise<Omit<BenchResult, "durationMs">>;

interface Registered {
  name: string;
  aliases: string[];
  run: Bench;
  /**
   * "app": uses the shared `next start` + room server (started on first use).
   * "alone": CPU-heavy or brings its own servers; the shared ones are stopped first.
   */
  needs: "app" | "alone";
}

/**
 * The registry, in run order: page benchmarks first, then load, then the
 * ones that bring their own servers. A new benchmark is a file exporting a
 * `Bench` plus one line here (e.g. storage throughput, agent reply time).
 */
const BENCHES: Registered[] = [
  { name: "page-js", aliases: ["js", "page"], run: pageJs, needs: "app" },
  { name: "time-to-connected", aliases: ["ttc", "connect"], run: timeToConnected, needs: "app" },
  { name: "token-route", aliases: ["token"], run: tokenRoute, needs: "app" },
  { name: "app-memory", aliases: ["memory", "mem"], run: appMemory, needs: "app" },
  { name: "limiter-memory", aliases: ["limiter"], run: limiterMemory, needs: "app" },
  { name: "first-visit", aliases: ["first", "dev"], run: firstVisit, needs: "alone" },
  { name: "agent-reply", aliases: ["agent"], run: agentReply, needs: "app" },
  { name: "agent-first-text", aliases: ["first-text", "ttft"], run: agentFirstText, needs: "app" },
  { name: "agent-long-answer", aliases: ["long-answer"], run: agentLongAnswer, needs: "app" },
  { name: "tool-call-browser", aliases: ["browser-tool", "ui-tool"], run: toolCallBrowser, needs: "app" },
  { name: "agent-long-history", aliases: ["long-history", "history"], run: agentLongHistory, needs: "app" },
  { name: "fanout", aliases: ["fan-out"], run: fanout, needs: "alone" },
  { name: "storage", aliases: ["files", "sync"], run: storage, needs: "alone" },
  { name: "poll", aliases: ["poll-votes"], run: pollVotes, needs: "alone" },
  { name: "room-memory", aliases: ["documents", "room-mem"], run: roomMemory, needs: "alone" },
  { name: "tool-call", aliases: ["tools", "toolkit"], run: toolCall, needs: "alone" },
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
    memoryGiB: Number((os.totalmem() / 2 ** 30).toFixed(1)),
    loadAverageAtStart: os.loadavg().map((l) => Number(l.toFixed(2))),
  };
  log(`node ${environment.node}, ${environment.cpus} CPUs, load average ${environment.loadAverageAtStart.join(" ")}`);

  const results: (BenchResult & { loadAverage: number[] })[] = [];
  try {
    for (const bench of selected) {
      if (bench.needs === "alone") await ctx.releaseServers();
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
  const goals = results.flatMap((r) => r.goals ?? []).sort((a, b) => a.id.localeCompare(b.id));
  const payload = {
    date: new Date().toISOString(),
    totalSeconds: Math.round(totalMs / 1000),
    buildSeconds: ctx.buildMs === null ? null : Math.round(ctx.buildMs / 1000),
    benchmarks: selected.map((b) => b.name),
    environment,
    goals,
    results,
  };
  const dated = datedResultsFile(payload.date);
  writeResults(RESULTS_FILE, payload);
  writeResults(dated, payload);

  if (goals.length > 0) {
    const load = os.loadavg().map((l) => l.toFixed(1));
    console.log(
      `\n## Goals (one run: ${environment.cpus} CPUs, ${environment.cpuModel ?? "unknown CPU"}, Node ${environment.node}; load average ${environment.loadAverageAtStart.join(" ")} at start, ${load.join(" ")} at the end)\n\n${goalsTable(goals)}`,
    );
  }
  const errored = results.filter((r) => r.error).map((r) => r.name);
  console.log(`\nTotal ${(totalMs / 1000).toFixed(0)} s. Results: ${RESULTS_FILE} (and ${dated})`);
  const missed = goals.filter((g) => !g.met).map((g) => g.id);
  if (missed.length > 0) console.log(`Missed goals: ${missed.join(", ")}`);
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
