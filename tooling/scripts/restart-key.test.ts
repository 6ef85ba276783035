import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterEach, expect, it, vi } from "vitest";
import { onRestartRequest, restartPidFile } from "./restart-key";
import { waitFor } from "../testing/wait";

const dir = mkdtempSync(path.join(os.tmpdir(), "restart-key-"));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

it("restarts on SIGUSR2 without a terminal, says so, and cleans up its pid file", async () => {
  const restart = vi.fn(async () => {});
  const pidFile = restartPidFile(dir, 7999);
  const listening = onRestartRequest(restart, pidFile);
  expect(readFileSync(pidFile, "utf8")).toBe(String(process.pid));
  expect(listening.how).toContain("npm run dev:restart-room");
  expect(listening.how).toContain(`kill -USR2 ${process.pid}`);
  expect(listening.how).not.toContain("type r");
  process.kill(process.pid, "SIGUSR2");
  await waitFor(() => restart.mock.calls.length === 1, "restart after SIGUSR2");
  listening.stop();
  expect(existsSync(pidFile)).toBe(false);
});

it("npm run dev:restart-room says clearly when no npm run dev is running", async () => {
  const script = path.join(import.meta.dirname, "restart-room.ts");
  const tsx = path.join(process.cwd(), "node_modules", ".bin", "tsx");
  const failure = await promisify(execFile)(tsx, [script], { env: { ...process.env, DEV_ROOM_PORT: "7998" } }).then(
    () => null,
    (error: { code: number; stderr: string }) => error,
  );
  expect(failure?.code).toBe(1);
  expect(failure?.stderr).toContain("No `npm run dev` with a local room on port 7998 is running here");
});
