import { spawn, type ChildProcess } from "node:child_process";
import { freePort } from "../../tooling/testing/redis-server";
import { AUTH_SECRET, ROOM_PORT, ROOM_SECRET } from "../env";

/**
 * Another `next start` of the build the e2e run made (playwright.config.ts
 * builds `.next` before the tests), with its own environment and port. The
 * app reads its configuration at run time, so one build serves them all.
 */
export interface AppProcess {
  url: string;
  port: number;
  output(): string;
  stop(): Promise<void>;
}

export const BASE_APP_ENV = {
  AUTH_SECRET: AUTH_SECRET!,
  AUTH_TRUST_HOST: "true",
  AUTH_DEV_LOGIN: "true",
  MESHAGENT_API_URL: `ws://127.0.0.1:${ROOM_PORT}`,
  MESHAGENT_SECRET: ROOM_SECRET!,
  NEXT_TELEMETRY_DISABLED: "1",
  NODE_ENV: "production",
};

/**
 * `env` may be a function of the app's own URL (for AUTH_URL). It is ready
 * once `readyPath` answers at all with 2xx (any status for a path expected to refuse).
 */
export async function startApp(
  env: Record<string, string> | ((url: string) => Record<string, string>),
  { readyPath = "/api/auth/providers", anyStatus = false }: { readyPath?: string; anyStatus?: boolean } = {},
): Promise<AppProcess> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  // Only what the app needs: nothing from the runner's own AUTH_URL etc.
  const childEnv: NodeJS.ProcessEnv = {
    NODE_ENV: "production",
    PATH: process.env.PATH ?? "",
    HOME: process.env.HOME ?? "",
    ...(typeof env === "function" ? env(url) : env),
  };
  const child: ChildProcess = spawn(
    process.execPath,
    ["node_modules/next/dist/bin/next", "start", "--hostname", "127.0.0.1", "--port", String(port)],
    { env: childEnv, stdio: ["ignore", "pipe", "pipe"] },
  );
  let output = "";
  child.stdout?.on("data", (chunk) => (output += chunk));
  child.stderr?.on("data", (chunk) => (output += chunk));
  let exited = false;
  child.once("exit", () => (exited = true));

  const deadline = Date.now() + 60_000;
  for (;;) {
    if (exited) throw new Error(`next start exited early:\n${output}`);
    try {
      const response = await fetch(`${url}${readyPath}`);
      await response.body?.cancel();
      if (response.ok || anyStatus) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`next start did not answer on ${url} within 60 s:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return {
    url,
    port,
    output: () => output,
    stop: () =>
      new Promise<void>((resolve) => {
        if (exited) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}
