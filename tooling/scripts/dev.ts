/**
 * `npm run dev`: the app on the embedded local room server, in one command.
 *
 * When MeshAgent credentials are set (MESHAGENT_API_KEY, MESHAGENT_SECRET, ..., in
 * the environment or in .env*.local), only `next dev` starts. Otherwise the
 * local dev room server starts first, on DEV_ROOM_PORT (default 7707), and
 * `next dev` is pointed at it. Secrets for both (room signing secret and
 * AUTH_SECRET) are generated once into .meshagent-dev/secrets.json, which git
 * ignores. The demo agent (agent/) joins the local room too, unless DEV_AGENT=false.
 * One Ctrl-C stops everything; `npm run dev:restart-room` (SIGUSR2), or `r` +
 * Enter in a terminal, restarts only the local room.
 *
 * `next dev` listens on 127.0.0.1 only, because dev sign-in has no password:
 * pass `--hostname 0.0.0.0` (or set HOST) to let other machines in.
 */
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import nextEnv from "@next/env";
import { DEV_ROOM_ENV, cliEnv, devRoomDataDir, devRoomSecret } from "../dev-room/cli-env";
import { loadDevSecrets } from "../dev-room/dev-secrets";
import { hasMeshAgentCredentials, type ReadEnv } from "../../lib/env";
import { startDevRoomServer, type DevRoomServer } from "../dev-room/server";
import { startDevAgent } from "../../agent/dev-hook";
import { roomDocumentSchemas } from "../../features/room-documents";
import { nextDevArgs } from "./next-dev-args";
import { onRestartRequest, restartPidFile } from "./restart-key";
import { warmUpDevServer } from "./warm-up";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
nextEnv.loadEnvConfig(root, true, { info: () => {}, error: console.error });

let read: ReadEnv;
try {
  read = cliEnv([...DEV_ROOM_ENV, "HOST"]);
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
const { env } = read;
// Other invalid variables are the app's to report (a notice and a 503 naming them), not a reason to refuse to start.
const cloudConfigured = hasMeshAgentCredentials(read);
const childEnv: NodeJS.ProcessEnv = {
  ...process.env,
  AUTH_SECRET: env.AUTH_SECRET ?? loadDevSecrets(root).authSecret,
};

let room: DevRoomServer | null = null;
let agent: ReturnType<typeof startDevAgent> = null;
let stopRestartKey = () => {};
if (!cloudConfigured) {
  let secret: string;
  const startRoom = (port: number) =>
    startDevRoomServer({
      port,
      secret,
      dataDir: devRoomDataDir(root, env),
      maxUploadBytes: env.DEV_ROOM_MAX_UPLOAD_BYTES,
      maxDocumentBytes: env.DEV_ROOM_MAX_DOCUMENT_BYTES,
      maxRoomBytes: env.DEV_ROOM_MAX_ROOM_BYTES,
      toolCallTimeoutMs: env.DEV_ROOM_TOOL_CALL_TIMEOUT_MS,
      documentSchemas: roomDocumentSchemas(),
    });
  try {
    secret = devRoomSecret(root, env);
    room = await startRoom(env.DEV_ROOM_PORT);
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
  childEnv.DEV_ROOM_URL = room.url;
  childEnv.DEV_ROOM_SECRET = secret;
  agent = startDevAgent(root, { url: room.url, secret });
  // Same port and data folder: browsers and the agent reconnect by themselves, files and documents stay.
  const restart = onRestartRequest(
    async () => {
      const port = room?.port ?? env.DEV_ROOM_PORT;
      await room?.close();
      room = await startRoom(port);
      console.log(`MeshAgent dev room server restarted on ${room.url}`);
    },
    restartPidFile(root, room.port),
  );
  stopRestartKey = restart.stop;
  console.log(`MeshAgent dev room server listening on ${room.url} (${restart.how})`);
} else {
  console.log("MeshAgent cloud is configured: not starting the local dev room server.");
}

const nextBin = createRequire(import.meta.url).resolve("next/dist/bin/next");
const nextArgs = nextDevArgs(process.argv.slice(2), env.HOST);
const next = spawn(process.execPath, [nextBin, "dev", ...nextArgs], { stdio: "inherit", env: childEnv });
void warmUpDevServer({
  args: nextArgs,
  authSecret: childEnv.AUTH_SECRET,
  room: env.MESHAGENT_DEFAULT_ROOM,
});

let stopping = false;
async function stop(code: number) {
  if (stopping) return;
  stopping = true;
  if (next.exitCode === null) next.kill("SIGTERM");
  stopRestartKey();
  await agent?.stop();
  await room?.close();
  process.exit(code);
}

process.on("SIGINT", () => void stop(0));
process.on("SIGTERM", () => void stop(0));
next.on("exit", (code) => void stop(code ?? 0));
