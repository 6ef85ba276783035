import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root, where the CLIs under test run. */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
/** tsx directly: npx's npm wrapper does not pass SIGTERM on to the child. */
export const TSX = path.join(repoRoot, "node_modules/.bin/tsx");

export interface CliRun {
  child: ChildProcess;
  /** stdout and stderr so far, interleaved as they arrived. */
  output: () => string;
  exited: Promise<number | null>;
}

/**
 * One of the repo's CLIs as a real process in the repo root, with `env` over
 * this process's environment. `detached` puts it in its own process group,
 * for wrappers (npx -> sh -> tsx -> node) that must be killed as a whole.
 */
export function runCli(command: string, args: string[], env: Record<string, string>, detached = false): CliRun {
  const child = spawn(command, args, {
    cwd: repoRoot,
    detached,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return { child, output: () => output, exited };
}
