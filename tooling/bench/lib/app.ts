/**
 * The app under test: one `next build` per run into .next-bench, then
 * `next start` on a 3200+ port pointed at the bench's own room server.
 */

import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { DIST_DIR, ROOT } from "./paths";
import { childNodeArgs, startProcess, tail, waitForHttp, type Managed } from "./proc";

const NEXT_BIN = path.join(ROOT, "node_modules", "next", "dist", "bin", "next");

/**
 * `next build` with a custom distDir rewrites two shared files: it appends
 * `.next-bench/types/**` to tsconfig.json's include and points next-env.d.ts
 * at `.next-bench/types`. Both belong to whoever else works in the tree, so
 * they are put back exactly as they were once the build is done.
 */
function guardSharedFiles(): () => string[] {
  const files = ["tsconfig.json", "next-env.d.ts"].map((name) => path.join(ROOT, name));
  const before = new Map(files.map((file) => [file, existsSync(file) ? readFileSync(file, "utf8") : null]));
  return () => {
    const restored: string[] = [];
    for (const file of files) {
      const original = before.get(file) ?? null;
      if (!existsSync(file)) continue;
      const now = readFileSync(file, "utf8");
      if (now === original || !now.includes(DIST_DIR)) continue;
      if (file.endsWith("tsconfig.json")) {
        writeFileSync(file, restoreTsconfig(now, original));
      } else if (original !== null) {
        writeFileSync(file, original);
      }
      restored.push(path.basename(file));
    }
    return restored;
  };
}

/** The original bytes if Next only added our entries; otherwise the current file minus our entries. */
function restoreTsconfig(now: string, original: string | null): string {
  try {
    const current = JSON.parse(now) as { include?: string[] };
    const withoutOurs = {
      ...current,
      include: (current.include ?? []).filter((entry) => !entry.startsWith(`${DIST_DIR}/`)),
    };
    if (original !== null && JSON.stringify(JSON.parse(original)) === JSON.stringify(withoutOurs)) return original;
    return JSON.stringify(withoutOurs, null, 2) + "\n";
  } catch {
    // Not plain JSON (comments): fall back to the saved copy.
    return original ?? now;
  }
}

export async function buildApp(log: (line: string) => void): Promise<{ ms: number }> {
  const started = Date.now();
  const restore = guardSharedFiles();
  const build = startProcess("next build", process.execPath, [NEXT_BIN, "build"], {
    env: {
      ...process.env,
      NODE_ENV: "production",
      NEXT_DIST_DIR: DIST_DIR,
      NEXT_TELEMETRY_DISABLED: "1",
    },
  });
  try {
    const timer = setTimeout(() => void build.stop(), 600_000);
    const code = await build.exited;
    clearTimeout(timer);
    if (code !== 0) throw new Error(`next build failed (${code}):\n${tail(build.output(), 60)}`);
  } finally {
    await build.stop();
    const restored = restore();
    if (restored.length > 0)
      log(`restored ${restored.join(", ")} after next build rewrote ${restored.length === 1 ? "it" : "them"}`);
  }
  return { ms: Date.now() - started };
}

export function hasBuild(): boolean {
  return existsSync(path.join(ROOT, DIST_DIR, "BUILD_ID"));
}

export interface AppServer {
  url: string;
  port: number;
  proc: Managed;
}

export interface AppEnv {
  port: number;
  authSecret: string;
  roomUrl: string;
  roomSecret: string;
}

export async function startApp(env: AppEnv): Promise<AppServer> {
  const url = `http://127.0.0.1:${env.port}`;
  const proc = startProcess(
    "next start",
    process.execPath,
    [...childNodeArgs(), NEXT_BIN, "start", "-p", String(env.port), "-H", "127.0.0.1"],
    {
      env: {
        ...process.env,
        NODE_ENV: "production",
        NEXT_DIST_DIR: DIST_DIR,
        NEXT_TELEMETRY_DISABLED: "1",
        AUTH_SECRET: env.authSecret,
        AUTH_TRUST_HOST: "true",
        AUTH_DEV_LOGIN: "true",
        AUTH_URL: url,
        MESHAGENT_API_URL: env.roomUrl,
        MESHAGENT_SECRET: env.roomSecret,
        MESHAGENT_TOKEN_TTL_SECONDS: "600",
        // Load from one address and one user: the limiter still runs (its cost is measured), never refuses.
        RATE_LIMIT_ROOM_CONNECTION_PER_IP: "1000000",
        RATE_LIMIT_ROOM_CONNECTION_PER_USER: "1000000",
      },
    },
  );
  await waitForHttp(proc, `${url}/api/auth/providers`, 60_000);
  return { url, port: env.port, proc };
}
