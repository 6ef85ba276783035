// CLI entry point: `npm run dev:room`. Environment: see cli-env.ts.

import path from "node:path";
import { fileURLToPath } from "node:url";
import { DEV_ROOM_ENV, cliEnv, devRoomDataDir, devRoomSecret } from "./cli-env";
import { startDevRoomServer } from "./server";
import { roomDocumentSchemas } from "../../features/room-documents";

async function main(): Promise<void> {
  const { env } = cliEnv(DEV_ROOM_ENV);
  const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
  const secret = devRoomSecret(repoRoot, env);
  const server = await startDevRoomServer({
    port: env.DEV_ROOM_PORT,
    secret,
    dataDir: devRoomDataDir(repoRoot, env),
    maxUploadBytes: env.DEV_ROOM_MAX_UPLOAD_BYTES,
    maxDocumentBytes: env.DEV_ROOM_MAX_DOCUMENT_BYTES,
    maxRoomBytes: env.DEV_ROOM_MAX_ROOM_BYTES,
    toolCallTimeoutMs: env.DEV_ROOM_TOOL_CALL_TIMEOUT_MS,
    documentSchemas: roomDocumentSchemas(),
    log: (line) => console.log(`[dev-room] ${line}`),
  });
  console.log(`MeshAgent dev room server listening on ${server.url}`);
  console.log(`[dev-room] room files and documents in ${devRoomDataDir(repoRoot, env)}`);

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
