/**
 * Benchmarks build and run the app from a private copy of the working tree,
 * so a `next build` or a fresh `next dev` never writes into the project
 * (no custom distDir, no tsconfig.json/next-env.d.ts rewrites to undo).
 *
 * The copy holds what git would see: tracked files plus untracked files that
 * are not ignored (uncommitted edits included). node_modules is a hard-linked
 * copy (`cp -al`, about a second for ~36k files): to Turbopack these are
 * ordinary files inside the project, whereas a symlink would resolve outside
 * the project root. Nothing in the bench writes into node_modules.
 */

import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import os from "node:os";
import path from "node:path";
import { ROOT } from "./paths";

const MANIFEST = ".bench-copy-manifest.json";

/** Files git would commit from the working tree, relative to ROOT (deleted-but-tracked files left out). */
function workingTreeFiles(): string[] {
  const out = execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], {
    cwd: ROOT,
    maxBuffer: 64 * 1024 * 1024,
  });
  const files = new Set(out.toString("utf8").split("\0").filter(Boolean));
  return [...files].filter((file) => {
    try {
      return statSync(path.join(ROOT, file)).isFile();
    } catch {
      return false;
    }
  });
}

function sameContent(a: string, b: string): boolean {
  try {
    const sa = statSync(a);
    const sb = statSync(b);
    return sa.size === sb.size && readFileSync(a).equals(readFileSync(b));
  } catch {
    return false;
  }
}

/** Hard-links ROOT/node_modules into `dir` unless a link of the same package-lock.json is already there. */
function linkNodeModules(dir: string): void {
  const lock = path.join(ROOT, "package-lock.json");
  const stamp = path.join(dir, ".bench-node-modules-lock");
  const lockHash = existsSync(lock) ? createHash("sha256").update(readFileSync(lock)).digest("hex") : "none";
  const target = path.join(dir, "node_modules");
  if (existsSync(target) && existsSync(stamp) && readFileSync(stamp, "utf8") === lockHash) return;
  rmSync(target, { recursive: true, force: true });
  execFileSync("cp", ["-al", path.join(ROOT, "node_modules"), target]);
  writeFileSync(stamp, lockHash);
}

/**
 * Brings `dir` to the working tree's current content: copies new or changed
 * files, deletes files an earlier sync copied that are gone now, and leaves
 * everything else (.next and its build cache, node_modules) alone.
 */
export function syncCopy(dir: string): { copied: number; removed: number } {
  mkdirSync(dir, { recursive: true });
  const files = workingTreeFiles();
  const manifestFile = path.join(dir, MANIFEST);
  const previous: string[] = existsSync(manifestFile)
    ? (JSON.parse(readFileSync(manifestFile, "utf8")) as string[])
    : [];
  const current = new Set(files);
  let removed = 0;
  for (const file of previous) {
    if (current.has(file)) continue;
    rmSync(path.join(dir, file), { force: true });
    removed++;
  }
  let copied = 0;
  for (const file of files) {
    const from = path.join(ROOT, file);
    const to = path.join(dir, file);
    if (sameContent(from, to)) continue;
    mkdirSync(path.dirname(to), { recursive: true });
    rmSync(to, { force: true });
    copyFileSync(from, to);
    copied++;
  }
  writeFileSync(manifestFile, JSON.stringify(files));
  linkNodeModules(dir);
  return { copied, removed };
}

/**
 * The copy the production build lives in. Stable per checkout, so the
 * Turbopack build cache (.next/cache) and `--skip-build` work across runs.
 */
export function buildCopyDir(): string {
  const id = createHash("sha256").update(ROOT).digest("hex").slice(0, 12);
  return path.join(os.tmpdir(), `meshagent-bench-build-${id}`);
}

/** A throwaway copy with no .next at all: what a fresh clone looks like after `npm ci`. */
export function freshCopy(): { dir: string; dispose(): void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), "meshagent-bench-fresh-"));
  syncCopy(dir);
  return {
    dir,
    dispose: () => {
      try {
        // A dev server that just stopped may still be flushing its cache.
        rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
      } catch (error) {
        console.error(`could not remove ${dir}: ${error instanceof Error ? error.message : String(error)}`);
      }
    },
  };
}
