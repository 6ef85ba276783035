/**
 * The app under test: one `next build` per run in the bench's private copy
 * of the working tree (lib/private-copy.ts), then `next start` on a 3200+
 * port pointed at the bench's own room server. The project folder itself is
 * never written to.
 */

import { existsSync } from "node:fs";
import path from "node:path";
import { buildCopyDir, syncCopy } from "./private-copy";
import { childNodeArgs, startProcess, tail, waitForHttp, type Managed } from "./proc";

function nextBin(dir: string): string {
  return path.join(dir, "node_modules", "next", "dist", "bin", "next");
}

/** Environment for every Next process the bench starts: nothing from the caller's MeshAgent/auth setup leaks in. */
export function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^(MESHAGENT_|AUTH_|DEV_ROOM_|NEXT_|__NEXT|TURBOPACK|NODE_ENV$|PORT$)/.test(key)) continue;
    env[key] = value;
  }
  return { ...env, NEXT_TELEMETRY_DISABLED: "1", ...extra } as unknown as NodeJS.ProcessEnv;
}

export async function buildApp(log: (line: string) => void): Promise<{ ms: number; dir: string }> {
  const started = Date.now();
  const dir = buildCopyDir();
  const { copied, removed } = syncCopy(dir);
  log(`private copy ${dir}: ${copied} files copied, ${removed} removed`);
  const build = startProcess("next build", process.execPath, [nextBin(dir), "build"], {
    cwd: dir,
    env: cleanEnv({ NODE_ENV: "production" }),
  });
  try {
    const timer = setTimeout(() => void build.stop(), 600_000);
    const code = await build.exited;
    clearTimeout(timer);
    if (code !== 0) throw new Error(`next build failed (${code}):\n${tail(build.output(), 60)}`);
  } finally {
    await build.stop();
  }
  return { ms: Date.now() - started, dir };
}

/** The private copy's build, if an earlier run left one (for --skip-build). */
export function existingBuild(): string | null {
  const dir = buildCopyDir();
  return existsSync(path.join(dir, ".next", "BUILD_ID")) ? dir : null;
}

export interface AppServer {
  url: string;
  port: number;
  proc: Managed;
}

export interface AppEnv {
  dir: string;
  port: number;
  authSecret: string;
  roomUrl: string;
  roomSecret: string;
  /** Overrides of the bench's defaults (e.g. the real rate limits). */
  extra?: Record<string, string>;
}

export async function startApp(env: AppEnv): Promise<AppServer> {
  const url = `http://127.0.0.1:${env.port}`;
  const proc = startProcess(
    "next start",
    process.execPath,
    [...childNodeArgs(), nextBin(env.dir), "start", "-p", String(env.port), "-H", "127.0.0.1"],
    {
      cwd: env.dir,
      env: cleanEnv({
        NODE_ENV: "production",
        AUTH_SECRET: env.authSecret,
        AUTH_TRUST_HOST: "true",
        AUTH_DEV_LOGIN: "true",
        AUTH_URL: url,
        MESHAGENT_API_URL: env.roomUrl,
        MESHAGENT_SECRET: env.roomSecret,
        // Load from one address and one user: the limiter still runs (its cost is measured), never refuses.
        RATE_LIMIT_ROOM_CONNECTION_PER_IP: "1000000",
        RATE_LIMIT_ROOM_CONNECTION_PER_USER: "1000000",
        ...env.extra,
      }),
    },
  );
  await waitForHttp(proc, `${url}/api/auth/providers`, 60_000);
  return { url, port: env.port, proc };
}
