/**
 * Child processes the benchmarks start: each in its own process group, so
 * stopping it also stops anything it spawned (next start, tsx). Every process
 * is registered and killed when the bench exits, also on errors and signals.
 */

import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { ROOT } from "./paths";

export interface Managed {
  name: string;
  child: ChildProcess;
  /** Last ~64 KB of stdout + stderr, for error messages. */
  output(): string;
  /** Resolves with the exit code (or signal name) when the process is gone. */
  exited: Promise<number | string | null>;
  /** SIGTERM to the group, SIGKILL after `graceMs`. Idempotent. */
  stop(graceMs?: number): Promise<void>;
}

const live = new Set<Managed>();
const OUTPUT_LIMIT = 64 * 1024;

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    try {
      child.kill(signal);
    } catch {
      // already gone
    }
  }
}

export interface StartOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Echo the child's output to our stderr (BENCH_VERBOSE=1 turns it on for all). */
  echo?: boolean;
}

export function startProcess(name: string, command: string, args: string[], opts: StartOptions = {}): Managed {
  const child = spawn(command, args, {
    cwd: opts.cwd ?? ROOT,
    env: opts.env ?? process.env,
    detached: true,
    // stdin stays a pipe: our own child scripts exit when it closes (the bench died).
    stdio: ["pipe", "pipe", "pipe"],
  });
  let buffer = "";
  const echo = opts.echo ?? process.env.BENCH_VERBOSE === "1";
  const onData = (chunk: Buffer) => {
    const text = chunk.toString("utf8");
    buffer = (buffer + text).slice(-OUTPUT_LIMIT);
    if (echo) process.stderr.write(`[${name}] ${text}`);
  };
  child.stdout?.on("data", onData);
  child.stderr?.on("data", onData);
  child.stdin?.on("error", () => {});
  const exited = new Promise<number | string | null>((resolve) => {
    child.once("exit", (code, signal) => resolve(code ?? signal));
    child.once("error", (error) => {
      buffer += `\n${String(error)}`;
      resolve(null);
    });
  });
  let stopping: Promise<void> | null = null;
  const managed: Managed = {
    name,
    child,
    output: () => buffer,
    exited,
    stop(graceMs = 5000) {
      stopping ??= (async () => {
        killGroup(child, "SIGTERM");
        const timer = setTimeout(() => killGroup(child, "SIGKILL"), graceMs);
        await exited;
        clearTimeout(timer);
        // The leader is gone; make sure nothing else in its group survives.
        killGroup(child, "SIGKILL");
        live.delete(managed);
      })();
      return stopping;
    },
  };
  live.add(managed);
  void exited.then(() => live.delete(managed));
  return managed;
}

/** Extra node flags for the servers the bench starts (BENCH_CHILD_NODE_ARGS), e.g. for profiling. */
export function childNodeArgs(): string[] {
  return (process.env.BENCH_CHILD_NODE_ARGS ?? "").split(" ").filter(Boolean);
}

/**
 * Runs one of the bench's own TypeScript entry points (bench/lib/*-child.ts)
 * with tsx in a plain node process.
 */
export function startTsChild(
  name: string,
  file: string,
  env: Record<string, string>,
  opts: { echo?: boolean } = {},
): Managed {
  return startProcess(name, process.execPath, [...childNodeArgs(), "--import", "tsx", path.resolve(ROOT, file)], {
    env: { ...process.env, ...env },
    echo: opts.echo,
  });
}

/** Resolves with the first match of `pattern` in the process output; rejects if it exits or time runs out. */
export async function waitForOutput(proc: Managed, pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray> {
  const deadline = Date.now() + timeoutMs;
  let exitedWith: number | string | null | undefined;
  void proc.exited.then((code) => (exitedWith = code));
  for (;;) {
    const match = proc.output().match(pattern);
    if (match) return match;
    if (exitedWith !== undefined) {
      throw new Error(`${proc.name} exited (${exitedWith}) before printing ${pattern}:\n${tail(proc.output())}`);
    }
    if (Date.now() > deadline)
      throw new Error(`${proc.name}: no ${pattern} within ${timeoutMs} ms:\n${tail(proc.output())}`);
    await sleep(50);
  }
}

/** Polls until `url` answers 200. */
export async function waitForHttp(proc: Managed, url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exitedWith: number | string | null | undefined;
  void proc.exited.then((code) => (exitedWith = code));
  for (;;) {
    if (exitedWith !== undefined)
      throw new Error(`${proc.name} exited (${exitedWith}) before ${url} answered:\n${tail(proc.output())}`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      await response.arrayBuffer();
      if (response.ok) return;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline)
      throw new Error(`${url} did not answer 200 within ${timeoutMs} ms:\n${tail(proc.output())}`);
    await sleep(200);
  }
}

export function tail(text: string, lines = 40): string {
  return text.trimEnd().split("\n").slice(-lines).join("\n");
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export async function stopAll(): Promise<void> {
  await Promise.allSettled([...live].map((proc) => proc.stop()));
}

/** Last resort on exit: SIGKILL every group still registered (synchronous). */
function killAllNow(): void {
  for (const proc of live) killGroup(proc.child, "SIGKILL");
}

let hooksInstalled = false;

/** Kill children on normal exit, uncaught errors and SIGINT/SIGTERM/SIGHUP. */
export function installExitHooks(onSignal: () => Promise<void>): void {
  if (hooksInstalled) return;
  hooksInstalled = true;
  process.on("exit", killAllNow);
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.once(signal, () => {
      console.error(`\nbench: ${signal}, stopping everything it started…`);
      const hardStop = setTimeout(() => {
        killAllNow();
        process.exit(130);
      }, 8000);
      hardStop.unref();
      void onSignal()
        .catch(() => {})
        .finally(() => {
          killAllNow();
          process.exit(130);
        });
    });
  }
}
