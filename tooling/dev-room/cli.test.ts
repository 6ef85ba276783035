// The `npm run dev:room` entry point as a real process, and the dev secrets file.

import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { runCli, TSX, type CliRun } from "../testing/cli-process";
import { waitFor } from "../testing/wait";
import { loadDevSecrets } from "./dev-secrets";

const runs: CliRun[] = [];

afterEach(() => {
  // npx -> sh -> tsx -> node: kill the whole process group so nothing is orphaned.
  for (const { child } of runs.splice(0)) {
    try {
      process.kill(-child.pid!, "SIGKILL");
    } catch {
      // already gone
    }
  }
});

/** `direct` skips npx, whose npm wrapper does not pass SIGTERM on to the server. */
function runDevRoom(env: Record<string, string>, direct = false): CliRun {
  const [command, args] = direct ? [TSX, ["tooling/dev-room/main.ts"]] : ["npx", ["tsx", "tooling/dev-room/main.ts"]];
  // DEV_ROOM_SECRET is always set so the test never writes the repo's .meshagent-dev/.
  const run = runCli(command, args, { DEV_ROOM_SECRET: "cli-test-secret", ...env }, true);
  runs.push(run);
  return run;
}

describe("dev-room CLI", () => {
  it("prints its URL, serves /healthz and /stats, and exits 0 on SIGTERM", async () => {
    const run = runDevRoom({ DEV_ROOM_PORT: "0" }, true);
    const pattern = /MeshAgent dev room server listening on (ws:\/\/127\.0\.0\.1:(\d+))/;
    await waitFor(() => pattern.test(run.output()), "the listening line", 10_000, 20);
    const port = Number(pattern.exec(run.output())![2]);
    expect(port).toBeGreaterThan(0);
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(await health.text()).toBe("ok");
    expect(await (await fetch(`http://127.0.0.1:${port}/stats`)).json()).toEqual({
      sockets: 0,
      rooms: 0,
      participants: 0,
    });
    run.child.kill("SIGTERM");
    expect(await run.exited).toBe(0);
    expect(run.output()).toContain("SIGTERM received, shutting down");
  });

  it("exits non-zero with a clear message when the port is taken", async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
    const port = (blocker.address() as net.AddressInfo).port;
    try {
      const run = runDevRoom({ DEV_ROOM_PORT: String(port) });
      expect(await run.exited).not.toBe(0);
      expect(run.output()).toContain(`port ${port} is already in use (set DEV_ROOM_PORT to another port)`);
    } finally {
      blocker.close();
    }
  });

  it("rejects an invalid DEV_ROOM_PORT", async () => {
    const run = runDevRoom({ DEV_ROOM_PORT: "70000" });
    expect(await run.exited).not.toBe(0);
    expect(run.output()).toContain("DEV_ROOM_PORT must be an integer between 0 and 65535");
  });
});

describe("loadDevSecrets", () => {
  it("creates both secrets with private permissions, then returns the same ones", () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "dev-secrets-"));
    try {
      const first = loadDevSecrets(root);
      expect(first.roomSecret).toMatch(/^[0-9a-f]{64}$/);
      expect(first.authSecret).toMatch(/^[0-9a-f]{64}$/);
      expect(first.roomSecret).not.toBe(first.authSecret);
      expect(loadDevSecrets(root)).toEqual(first);
      const dir = path.join(root, ".meshagent-dev");
      expect(fs.statSync(dir).mode & 0o777).toBe(0o700);
      expect(fs.statSync(path.join(dir, "secrets.json")).mode & 0o777).toBe(0o600);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it("fills in a missing key and keeps the other keys untouched", () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "dev-secrets-"));
    try {
      const file = path.join(root, ".meshagent-dev", "secrets.json");
      fs.mkdirSync(path.dirname(file), { mode: 0o700 });
      fs.writeFileSync(file, JSON.stringify({ authSecret: "keep-me", other: { x: 1 } }), { mode: 0o600 });
      const secrets = loadDevSecrets(root);
      expect(secrets.authSecret).toBe("keep-me");
      expect(JSON.parse(fs.readFileSync(file, "utf8"))).toEqual({
        authSecret: "keep-me",
        other: { x: 1 },
        roomSecret: secrets.roomSecret,
      });
      expect(fs.statSync(file).mode & 0o777).toBe(0o600);
      fs.writeFileSync(file, "[1,2]");
      expect(() => loadDevSecrets(root)).toThrow(/not a JSON object/);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
