/**
 * What a page's long tasks were made of, from a trace written by
 * `startTrace` (agents-page.ts): every main-thread task of the renderer over
 * `--min` ms (50 by default), with the time of its direct work by kind
 * (script, style, layout, paint, GC, parsing HTML) and the script's top
 * functions. `npx tsx tooling/bench/lib/trace-long-tasks.ts <trace.json> [--min 50]`.
 */

import { readFileSync } from "node:fs";

interface TraceEvent {
  name: string;
  cat: string;
  ph: string;
  ts: number;
  dur?: number;
  /** Thread (CPU) time: less than dur when the thread waited for a CPU. */
  tdur?: number;
  pid: number;
  tid: number;
  args?: { name?: string; data?: { functionName?: string; url?: string; lineNumber?: number; type?: string } };
}

const KINDS: Record<string, string> = {
  FunctionCall: "script",
  EvaluateScript: "script",
  TimerFire: "script",
  EventDispatch: "script",
  FireAnimationFrame: "script",
  RunMicrotasks: "script",
  "v8.callFunction": "script",
  UpdateLayoutTree: "style",
  RecalculateStyles: "style",
  Layout: "layout",
  Paint: "paint",
  PrePaint: "paint",
  Layerize: "paint",
  UpdateLayer: "paint",
  CompositeLayers: "paint",
  MajorGC: "gc",
  MinorGC: "gc",
  "V8.GC_SCAVENGER": "gc",
  "V8.GC_MARK_COMPACTOR": "gc",
  ParseHTML: "html",
  HitTest: "hit-test",
  IntersectionObserverController_computeIntersections: "intersection",
};

function main() {
  const [file, ...rest] = process.argv.slice(2);
  if (!file) throw new Error("usage: trace-long-tasks.ts <trace.json> [--min 50]");
  const min = Number(rest[rest.indexOf("--min") + 1] ?? 50) || 50;
  const raw = JSON.parse(readFileSync(file, "utf8")) as { traceEvents: TraceEvent[] } | TraceEvent[];
  const events = Array.isArray(raw) ? raw : raw.traceEvents;
  // A browser's trace holds every renderer (blank pages, workers' hosts): the page is the busiest main thread.
  const mains = events.filter((e) => e.ph === "M" && e.name === "thread_name" && e.args?.name === "CrRendererMain");
  const slices = (thread: TraceEvent) =>
    events.filter((e) => e.pid === thread.pid && e.tid === thread.tid && e.ph === "X" && e.dur !== undefined);
  const onMain = mains
    .map(slices)
    .reduce<TraceEvent[]>((busiest, thread) => (thread.length > busiest.length ? thread : busiest), [])
    .sort((a, b) => a.ts - b.ts);
  if (onMain.length === 0) throw new Error("no renderer main thread in the trace");
  const tasks = onMain.filter((e) => e.name === "RunTask" && e.dur! >= min * 1000);
  console.log(`${tasks.length} tasks >= ${min} ms on the renderer's main thread`);
  const total = new Map<string, { count: number; us: number }>();
  for (const task of tasks) {
    const top = onMain.find(
      (e) =>
        e !== task &&
        e.ts >= task.ts &&
        e.ts + e.dur! <= task.ts + task.dur! &&
        e.name !== "ThreadControllerImpl::RunTask",
    );
    const key = top?.name ?? "(none)";
    const entry = total.get(key) ?? { count: 0, us: 0 };
    entry.count++;
    entry.us += task.dur!;
    total.set(key, entry);
  }
  console.log(
    "by first event inside:",
    [...total]
      .sort((a, b) => b[1].us - a[1].us)
      .slice(0, 12)
      .map(([k, v]) => `${k} ${v.count}x ${(v.us / 1000).toFixed(1)} ms`)
      .join("; "),
  );
  if (rest.includes("--summary")) return;
  for (const task of tasks) {
    const end = task.ts + task.dur!;
    const inside = onMain.filter((e) => e !== task && e.ts >= task.ts && e.ts + e.dur! <= end);
    const byKind = new Map<string, number>();
    const functions = new Map<string, number>();
    // Top-level pieces of each kind only, so nested events of one kind are not counted twice.
    const open: { kind: string; end: number }[] = [];
    for (const e of inside) {
      const kind = KINDS[e.name];
      if (!kind) continue;
      while (open.length > 0 && open[open.length - 1]!.end <= e.ts) open.pop();
      if (!open.some((o) => o.kind === kind)) {
        byKind.set(kind, (byKind.get(kind) ?? 0) + e.dur!);
        if (kind === "script" && e.args?.data?.functionName !== undefined) {
          const where = `${e.name} ${e.args.data.functionName || "(anonymous)"} ${e.args.data.url?.split("/").pop() ?? ""}:${e.args.data.lineNumber ?? ""}`;
          functions.set(where, (functions.get(where) ?? 0) + e.dur!);
        }
        if (kind === "script" && e.args?.data?.type) {
          const where = `${e.name} ${e.args.data.type}`;
          functions.set(where, (functions.get(where) ?? 0) + e.dur!);
        }
      }
      open.push({ kind, end: e.ts + e.dur! });
    }
    const parts = [...byKind].map(([kind, us]) => `${kind} ${(us / 1000).toFixed(1)}`).join(", ");
    const top = [...functions]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 4)
      .map(([where, us]) => `${where} ${(us / 1000).toFixed(1)}`)
      .join("; ");
    console.log(
      `- ${(task.dur! / 1000).toFixed(1)} ms (CPU ${((task.tdur ?? 0) / 1000).toFixed(1)}) at ${(task.ts / 1000).toFixed(0)}: ${parts}${top ? ` | ${top}` : ""}`,
    );
  }
}

main();
