import path from "node:path";
import { fileURLToPath } from "node:url";

/** Repository root (tooling/bench/lib/../../..). */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "..");

/** The benchmarks' own Next build folder (next.config.ts reads NEXT_DIST_DIR); never .next/. */
export const DIST_DIR = ".next-bench";

export const RESULTS_FILE = path.join(ROOT, "tooling", "bench", "results", "latest.json");

/** Ports other people's servers use in this repo: never bind or load them. */
export const RESERVED_PORTS = new Set([3000, 3100, 3101, 7707, 7717]);
