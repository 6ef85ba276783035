/** Result rows, markdown tables and the JSON results file. */

import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { round } from "./stats";

export interface Row {
  metric: string;
  /** Measured on the app (a number, or text such as a chunk name). */
  app: number | string;
  /** The same measurement on the bare baseline of the same run. */
  baseline: number | string;
  /** app / baseline (NaN when not meaningful). */
  ratio: number;
  /** Human-readable target, "" when the row is informational. */
  target: string;
  /** null: no target for this row. */
  pass: boolean | null;
}

export interface BenchResult {
  name: string;
  title: string;
  rows: Row[];
  /** Extra lines printed under the table (largest chunks, caveats). */
  notes: string[];
  /** Raw numbers for the JSON file. */
  details: Record<string, unknown>;
  durationMs: number;
  error?: string;
}

export function row(
  metric: string,
  app: number | string,
  baseline: number | string,
  target = "",
  pass: boolean | null = null,
): Row {
  const r = typeof app === "number" && typeof baseline === "number" ? app / baseline : Number.NaN;
  return { metric, app, baseline, ratio: Number.isFinite(r) ? r : Number.NaN, target, pass };
}

function cell(value: number | string): string {
  if (typeof value === "string") return value;
  if (!Number.isFinite(value)) return "–";
  return round(value).toLocaleString("en-US", { maximumFractionDigits: 3 });
}

export function markdownTable(result: BenchResult): string {
  const lines = ["| metric | app | baseline | ratio | target | pass/fail |", "|---|---:|---:|---:|---|---|"];
  for (const r of result.rows) {
    const ratioCell = Number.isFinite(r.ratio) ? `${round(r.ratio)}×` : "–";
    const verdict = r.pass === null ? "" : r.pass ? "pass" : "**FAIL**";
    lines.push(`| ${r.metric} | ${cell(r.app)} | ${cell(r.baseline)} | ${ratioCell} | ${r.target} | ${verdict} |`);
  }
  return lines.join("\n");
}

export function printResult(result: BenchResult): void {
  const out: string[] = [`\n### ${result.title} (${(result.durationMs / 1000).toFixed(1)} s)\n`];
  if (result.error) out.push(`**ERROR**: ${result.error}\n`);
  if (result.rows.length > 0) out.push(markdownTable(result));
  if (result.notes.length > 0)
    out.push("", ...result.notes.map((note) => (note.startsWith("  ") ? `  - ${note.trim()}` : `- ${note}`)));
  console.log(out.join("\n"));
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
