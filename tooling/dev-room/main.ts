// CLI entry point: `npm run dev:room`. Environment: see cli-env.ts.

import path from "node:path";
import { fileURLToPath } from "node:url";
import { devRoomDataDir, devRoomMaxUploadBytes, devRoomPort, devRoomSecret } from "./cli-env";
import { startDevRoomServer } from "./server";

async function main(): Promise<void> {
  const port = devRoomPort();
  const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
  const secret = devRoomSecret(repoRoot);
  const dataDir = devRoomDataDir(repoRoot);
  const server = await startDevRoomServer({
    port,
    secret,
    dataDir,
    maxUploadBytes: devRoomMaxUploadBytes(),
    log: (line) => console.log(`[dev-room] ${line}`),
  });
  console.log(`MeshAgent dev room server listening on ${server.url}`);
  console.log(`[dev-room] room files and documents in ${dataDir}`);

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
