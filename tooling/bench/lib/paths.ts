import path from "node:path";
import { fileURLToPath } from "node:url";

/** Repository root (tooling/bench/lib/../../..). */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "..");

export const RESULTS_DIR = path.join(ROOT, "tooling", "bench", "results");
export const RESULTS_FILE = path.join(RESULTS_DIR, "latest.json");

/** Ports other people's servers use in this repo: never bind or load them. */
export const RESERVED_PORTS = new Set([3000, 3100, 3101, 7707, 7717]);
