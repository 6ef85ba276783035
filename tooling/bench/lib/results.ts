/** The JSON results files: latest.json and a dated copy per run, and reading them back. */

import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { RESULTS_DIR } from "./paths";
import type { BenchResult, Goal } from "./table";

export interface ResultsFile {
  date: string;
  environment: { node: string; cpus: number; cpuModel?: string };
  benchmarks?: string[];
  goals?: Goal[];
  results: BenchResult[];
}

/** results/2026-11-26T14-30-05Z.json: sorts by time, safe in any file system. */
export function datedResultsFile(isoDate: string): string {
  return path.join(RESULTS_DIR, `${isoDate.replace(/\.\d+Z$/, "Z").replace(/:/g, "-")}.json`);
}

/** Dated result files, oldest first. */
export function datedResultsFiles(): string[] {
  if (!existsSync(RESULTS_DIR)) return [];
  return readdirSync(RESULTS_DIR)
    .filter((name) => /^\d{4}-\d\d-\d\dT[\d-]+Z\.json$/.test(name))
    .sort()
    .map((name) => path.join(RESULTS_DIR, name));
}

export function writeResults(file: string, payload: unknown): void {
  mkdirSync(path.dirname(file), { recursive: true });
  // NaN/Infinity are not JSON: write them as null.
  const json = JSON.stringify(
    payload,
    (_key, value) => (typeof value === "number" && !Number.isFinite(value) ? null : value),
    2,
  );
  writeFileSync(file, json + "\n");
}

export function readResults(file: string): ResultsFile {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new Error(`${file}: not a readable JSON file (${error instanceof Error ? error.message : String(error)})`);
  }
  const candidate = parsed as Partial<ResultsFile>;
  if (!candidate || typeof candidate.date !== "string" || !Array.isArray(candidate.results)) {
    throw new Error(`${file}: not a bench results file (no date or results)`);
  }
  return candidate as ResultsFile;
}
