import { freePort } from "./ports";
import { startTsChild, waitForOutput, type Managed } from "./proc";

export interface RoomServerProcess {
  /** ws://127.0.0.1:<port>, without a path. */
  url: string;
  port: number;
  proc: Managed;
  stats(): Promise<{ sockets: number; rooms: Record<string, { id: string; name: string; messaging: boolean }[]> }>;
}

/** Starts dev-room/server.ts in a child process on a free 7727+ port. */
export async function startRoomServer(secret: string): Promise<RoomServerProcess> {
  const port = await freePort(7727);
  const proc = startTsChild("room server", "tooling/bench/lib/room-server-child.ts", {
    BENCH_ROOM_PORT: String(port),
    BENCH_ROOM_SECRET: secret,
  });
  await waitForOutput(proc, /BENCH_READY (\d+)/, 30_000);
  return {
    url: `ws://127.0.0.1:${port}`,
    port,
    proc,
    async stats() {
      const response = await fetch(`http://127.0.0.1:${port}/stats`, { signal: AbortSignal.timeout(2000) });
      return (await response.json()) as Awaited<ReturnType<RoomServerProcess["stats"]>>;
    },
  };
}
