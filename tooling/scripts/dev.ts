/**
 * `npm run dev`: the app on the embedded local room server, in one command.
 *
 * When MeshAgent credentials are set (MESHAGENT_API_KEY, MESHAGENT_SECRET, ..., in
 * the environment or in .env*.local), only `next dev` starts. Otherwise the
 * local dev room server starts first, on DEV_ROOM_PORT (default 7707), and
 * `next dev` is pointed at it. Secrets for both (room signing secret and
 * AUTH_SECRET) are generated once into .meshagent-dev/secrets.json, which git
 * ignores. One Ctrl-C stops everything.
 */
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import nextEnv from "@next/env";
import { devRoomPort, devRoomSecret } from "../dev-room/cli-env";
import { loadDevSecrets } from "../dev-room/dev-secrets";
import { hasMeshAgentCredentials, readMeshAgentEnv } from "../../lib/env";
import { startDevRoomServer, type DevRoomServer } from "../dev-room/server";
import { warmUpDevServer } from "./warm-up";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
nextEnv.loadEnvConfig(root, true, { info: () => {}, error: console.error });

let cloudConfigured: boolean;
try {
  cloudConfigured = hasMeshAgentCredentials(readMeshAgentEnv());
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
const childEnv: NodeJS.ProcessEnv = {
  ...process.env,
  AUTH_SECRET: process.env.AUTH_SECRET || loadDevSecrets(root).authSecret,
};

let room: DevRoomServer | null = null;
if (!cloudConfigured) {
  let secret: string;
  try {
    secret = devRoomSecret(root);
    room = await startDevRoomServer({ port: devRoomPort(), secret });
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
  console.log(`MeshAgent dev room server listening on ${room.url}`);
  childEnv.DEV_ROOM_URL = room.url;
  childEnv.DEV_ROOM_SECRET = secret;
} else {
  console.log("MeshAgent cloud is configured: not starting the local dev room server.");
}

const nextBin = createRequire(import.meta.url).resolve("next/dist/bin/next");
const next = spawn(process.execPath, [nextBin, "dev", ...process.argv.slice(2)], { stdio: "inherit", env: childEnv });
void warmUpDevServer({
  args: process.argv.slice(2),
  authSecret: childEnv.AUTH_SECRET,
  room: readMeshAgentEnv().MESHAGENT_DEFAULT_ROOM,
});

let stopping = false;
async function stop(code: number) {
  if (stopping) return;
  stopping = true;
  if (next.exitCode === null) next.kill("SIGTERM");
  await room?.close();
  process.exit(code);
}

process.on("SIGINT", () => void stop(0));
process.on("SIGTERM", () => void stop(0));
next.on("exit", (code) => void stop(code ?? 0));
