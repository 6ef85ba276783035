/** Result rows, goals and their markdown tables. */

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

/** One of the goals, as a measured ratio (or value) against its target. */
export interface Goal {
  /** "1", "2", "3a", ...: the goal's number in docs/performance.md. */
  id: string;
  title: string;
  /** What was measured, e.g. 1.42 (a ratio) or 2310 (ms). */
  measured: number;
  /** How to print `measured`, e.g. "1.42x" or "2.3 s". */
  shown: string;
  target: string;
  met: boolean;
}

export interface BenchResult {
  name: string;
  title: string;
  rows: Row[];
  /** Goals this benchmark decides. */
  goals?: Goal[];
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

export function goal(id: string, title: string, measured: number, shown: string, target: string, met: boolean): Goal {
  return { id, title, measured, shown, target, met: Number.isFinite(measured) && met };
}

export function goalsTable(goals: Goal[]): string {
  const lines = ["| goal | measured | target | |", "|---|---:|---|---|"];
  for (const g of goals)
    lines.push(`| ${g.id}. ${g.title} | ${g.shown} | ${g.target} | ${g.met ? "MET" : "**MISSED**"} |`);
  return lines.join("\n");
}
