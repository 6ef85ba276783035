/**
 * The local room exactly as a developer starts it, `npm run dev:room` (its
 * node flags included), in its own process group, on a port the system picks
 * (others' benchmarks share the 7727+ range), with a temporary data folder
 * removed when it stops. For benchmarks of the room
 * itself; `pid` is the room's own process (from its /usage), not npm's.
 */

import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { startProcess, waitForOutput, type Managed } from "./proc";

export interface DevRoomCli {
  /** ws://127.0.0.1:<port>, without a path. */
  url: string;
  port: number;
  /** The room server's process (npm and tsx start it as a grandchild). */
  pid: number;
  proc: Managed;
  /** Stops the process group and removes the data folder. */
  stop(): Promise<void>;
}

export async function startDevRoomCli(secret: string): Promise<DevRoomCli> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "bench-dev-room-"));
  const proc = startProcess("room (npm run dev:room)", "npm", ["run", "--silent", "dev:room"], {
    env: {
      ...process.env,
      DEV_ROOM_PORT: "0",
      DEV_ROOM_SECRET: secret,
      DEV_ROOM_DATA_DIR: dataDir,
    },
  });
  const stop = async () => {
    await proc.stop();
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    const listening = await waitForOutput(proc, /listening on ws:\/\/127\.0\.0\.1:(\d+)/, 60_000);
    const port = Number(listening[1]);
    const usage = await fetch(`http://127.0.0.1:${port}/usage`, { signal: AbortSignal.timeout(5000) });
    const { pid } = (await usage.json()) as { pid: number };
    return { url: `ws://127.0.0.1:${port}`, port, pid, proc, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
