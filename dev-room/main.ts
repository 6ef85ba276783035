// CLI entry point: `npm run dev:room`.
//   DEV_ROOM_PORT    port to listen on (default 7707, 0 = any free port)
//   DEV_ROOM_SECRET  token signing secret (default: roomSecret from .meshagent-dev/secrets.json)

import path from "node:path";
import { fileURLToPath } from "node:url";
import { loadDevSecrets } from "./dev-secrets";
import { startDevRoomServer } from "./server";

const DEFAULT_PORT = 7707;

function parsePort(value: string | undefined): number {
  if (value === undefined || value.trim() === "") return DEFAULT_PORT;
  const port = Number(value.trim());
  if (!/^\d+$/.test(value.trim()) || !Number.isInteger(port) || port > 65535) {
    throw new Error(`DEV_ROOM_PORT must be an integer between 0 and 65535, got "${value}"`);
  }
  return port;
}

async function main(): Promise<void> {
  const port = parsePort(process.env.DEV_ROOM_PORT);
  const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
  const secret = process.env.DEV_ROOM_SECRET || loadDevSecrets(repoRoot).roomSecret;
  const server = await startDevRoomServer({
    port,
    secret,
    log: (line) => console.log(`[dev-room] ${line}`),
  });
  console.log(`MeshAgent dev room server listening on ${server.url}`);

  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    // Ctrl-C under `npm run` reaches us twice (directly and relayed by tsx): act once.
    if (stopping) return;
    stopping = true;
    console.log(`[dev-room] ${signal} received, shutting down`);
    setTimeout(() => {
      console.error("[dev-room] shutdown took too long, exiting");
      process.exit(1);
    }, 5000).unref();
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(`[dev-room] error while shutting down: ${String(error)}`);
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

main().catch((error: unknown) => {
  console.error(`MeshAgent dev room server: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
