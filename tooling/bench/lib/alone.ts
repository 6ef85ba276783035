/** Running one page benchmark on its own: `npx tsx tooling/bench/<name>.ts [--skip-build]`. */

import { pathToFileURL } from "node:url";
import { BenchContext } from "./context";
import { installExitHooks } from "./proc";
import { printResult, type BenchResult } from "./table";

/** Runs `bench` with its own context when `moduleUrl` is the script node was started with. */
export function runAlone(moduleUrl: string, bench: (ctx: BenchContext) => Promise<Omit<BenchResult, "durationMs">>) {
  if (!process.argv[1] || moduleUrl !== pathToFileURL(process.argv[1]).href) return;
  const skipBuild = process.argv.includes("--skip-build") || process.env.BENCH_SKIP_BUILD === "1";
  const started = Date.now();
  const ctx = new BenchContext({
    skipBuild,
    log: (line) => console.error(`[bench ${((Date.now() - started) / 1000).toFixed(0).padStart(3)} s] ${line}`),
  });
  installExitHooks(() => ctx.close());
  const benchStarted = Date.now();
  bench(ctx)
    .then((result) => {
      printResult({ ...result, durationMs: Date.now() - benchStarted });
      process.exitCode = 0;
    })
    .catch((error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    })
    .finally(() => ctx.close());
}
