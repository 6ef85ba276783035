/**
 * npm run bench:compare                     the previous run vs the latest
 * npm run bench:compare -- a.json b.json    any two results files (a = before)
 *
 * Prints, for every goal and every numeric row both runs have, the value
 * before and after and the change in percent.
 */

import path from "node:path";
import { RESULTS_FILE } from "./lib/paths";
import { datedResultsFiles, readResults, type ResultsFile } from "./lib/results";
import { round } from "./lib/stats";

function pick(args: string[]): [string, string] {
  if (args.length === 2) return [args[0], args[1]];
  const dated = datedResultsFiles();
  if (args.length === 1) {
    const latest = dated.at(-1) ?? RESULTS_FILE;
    return [args[0], latest];
  }
  const latest = dated.at(-1);
  // A partial run (npm run bench -- fanout) is compared with the last run that measured any of the same things.
  const names = new Set(latest ? readResults(latest).results.map((r) => r.name) : []);
  const previous = dated
    .slice(0, -1)
    .reverse()
    .find((file) => readResults(file).results.some((r) => names.has(r.name)));
  if (!latest || !previous) {
    throw new Error(
      `need two runs of the same benchmarks: found ${dated.length} dated results file(s) in ${path.dirname(RESULTS_FILE)}; run npm run bench again or pass two files`,
    );
  }
  return [previous, latest];
}

function fmt(value: unknown): string {
  if (typeof value === "number") return Number.isFinite(value) ? round(value).toLocaleString("en-US") : "–";
  if (value === null || value === undefined) return "–";
  return String(value);
}

function change(before: unknown, after: unknown): string {
  if (typeof before !== "number" || typeof after !== "number" || !Number.isFinite(before) || !Number.isFinite(after))
    return "";
  if (before === 0) return after === 0 ? "0 %" : "new";
  const pct = ((after - before) / Math.abs(before)) * 100;
  return `${pct >= 0 ? "+" : ""}${pct.toFixed(1)} %`;
}

function describe(file: string, run: ResultsFile): string {
  const env = run.environment;
  return `${path.basename(file)} (${run.date}, node ${env.node}, ${env.cpus} CPUs)`;
}

function compare(aFile: string, bFile: string): string {
  const a = readResults(aFile);
  const b = readResults(bFile);
  const out = [`before: ${describe(aFile, a)}`, `after:  ${describe(bFile, b)}`, ""];

  const goalsA = new Map((a.goals ?? []).map((g) => [g.id, g]));
  const goals = (b.goals ?? []).filter((g) => goalsA.has(g.id));
  if (goals.length > 0) {
    out.push("## Goals", "", "| goal | before | after | change | target | after |", "|---|---:|---:|---:|---|---|");
    for (const g of goals) {
      const before = goalsA.get(g.id)!;
      out.push(
        `| ${g.id}. ${g.title} | ${before.shown} | ${g.shown} | ${change(before.measured, g.measured)} | ${g.target} | ${g.met ? "MET" : "MISSED"}${before.met !== g.met ? (g.met ? " (was missed)" : " (was met)") : ""} |`,
      );
    }
    out.push("");
  }

  for (const result of b.results) {
    const earlier = a.results.find((r) => r.name === result.name);
    if (!earlier) continue;
    const rowsA = new Map(earlier.rows.map((r) => [r.metric, r]));
    const lines: string[] = [];
    for (const row of result.rows) {
      const before = rowsA.get(row.metric);
      if (!before || typeof row.app !== "number") continue;
      lines.push(
        `| ${row.metric} | ${fmt(before.app)} | ${fmt(row.app)} | ${change(before.app, row.app)} | ${fmt(before.ratio)} | ${fmt(row.ratio)} |`,
      );
    }
    if (lines.length === 0) continue;
    out.push(
      `## ${result.name}`,
      "",
      "| metric | app before | app after | change | ratio before | ratio after |",
      "|---|---:|---:|---:|---:|---:|",
      ...lines,
      "",
    );
  }
  const onlyA = a.results.filter((r) => !b.results.some((x) => x.name === r.name)).map((r) => r.name);
  const onlyB = b.results.filter((r) => !a.results.some((x) => x.name === r.name)).map((r) => r.name);
  if (onlyA.length > 0) out.push(`Only in before: ${onlyA.join(", ")}`);
  if (onlyB.length > 0) out.push(`Only in after: ${onlyB.join(", ")}`);
  return out.join("\n");
}

try {
  const args = process.argv.slice(2).filter((arg) => arg !== "--");
  if (args.length > 2 || args.some((arg) => arg === "-h" || arg === "--help")) {
    console.error("usage: npm run bench:compare [-- [before.json] [after.json]]");
    process.exit(2);
  }
  const [aFile, bFile] = pick(args);
  console.log(compare(aFile, bFile));
} catch (error) {
  console.error(`bench:compare: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
