// `npm run agent` as a process: configuration errors, joining, clean exit.

import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { startDevRoomServer, type DevRoomServer } from "../tooling/dev-room/server";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const SECRET = "agent-cli-test-secret";
const children: ChildProcess[] = [];
let server: DevRoomServer | null = null;

afterEach(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill("SIGKILL");
  await server?.close();
  server = null;
});

function runAgent(env: Record<string, string>) {
  // tsx directly: npx's npm wrapper does not pass SIGTERM on.
  const child = spawn(path.join(repoRoot, "node_modules/.bin/tsx"), ["agent/main.ts"], {
    cwd: repoRoot,
    env: { ...process.env, DEV_ROOM_SECRET: SECRET, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  let output = "";
  child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return { child, output: () => output, exited };
}

async function until(predicate: () => boolean, what: string, ms = 45_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe("npm run agent", () => {
  it("exits 1 naming the variable when the configuration is invalid", async () => {
    const run = runAgent({ AGENT_NAME: "no/slashes" });
    expect(await run.exited).toBe(1);
    expect(run.output()).toContain("AGENT_NAME");
    expect(run.output()).not.toMatch(/\n\s+at /); // a message, not a stack
  }, 60_000);

  it("joins the rooms of AGENT_ROOMS on the local room, and leaves cleanly on SIGTERM", async () => {
    server = await startDevRoomServer({ port: 0, secret: SECRET });
    const run = runAgent({ DEV_ROOM_URL: server.url, AGENT_ROOMS: "alpha,beta", AGENT_NAME: "cli-agent" });
    await until(
      () =>
        server!.stats().rooms.alpha?.[0]?.name === "cli-agent" && server!.stats().rooms.beta?.[0]?.messaging === true,
      "the agent in both rooms",
    );
    expect(run.output()).toContain("cli-agent (offline (no model configured)) joining alpha, beta");
    expect(run.output()).not.toContain("GOT RESPONSE");
    run.child.kill("SIGTERM");
    expect(await run.exited).toBe(0);
    expect(server.stats().rooms).toEqual({});
  }, 60_000);
});
