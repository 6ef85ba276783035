// What the local room's CLIs (`npm run dev:room`, main.ts, and `npm run dev`,
// scripts/dev.ts) take from the environment, through the app's one reader
// (lib/env.ts), so both accept and refuse exactly the same values:
//   DEV_ROOM_PORT    port to listen on (0 = any free port)
//   DEV_ROOM_SECRET  token signing secret (default: roomSecret from .meshagent-dev/secrets.json)
//   DEV_ROOM_DATA_DIR          room files and documents (default: .meshagent-dev, under rooms/)
//   DEV_ROOM_MAX_UPLOAD_BYTES  largest storage upload (default 25 MiB)
//   DEV_ROOM_MAX_DOCUMENT_BYTES  largest shared document (default 640 KiB)
//   DEV_ROOM_MAX_ROOM_BYTES    storage quota per room (default 1 GiB)
//   DEV_ROOM_TOOL_CALL_TIMEOUT_MS  wait for a participant-hosted tool's answer (default 30000)

import { describeProblems, readEnv, type Env, type EnvName, type ReadEnv } from "../../lib/env";
import path from "node:path";
import { DEV_SECRETS_DIR, loadDevSecrets } from "./dev-secrets";

/** What the local room reads, in `npm run dev:room` and `npm run dev` alike. */
export const DEV_ROOM_ENV: readonly EnvName[] = [
  "DEV_ROOM_PORT",
  "DEV_ROOM_SECRET",
  "DEV_ROOM_DATA_DIR",
  "DEV_ROOM_MAX_UPLOAD_BYTES",
  "DEV_ROOM_MAX_DOCUMENT_BYTES",
  "DEV_ROOM_MAX_ROOM_BYTES",
  "DEV_ROOM_TOOL_CALL_TIMEOUT_MS",
];

/** The environment, or an Error naming every invalid variable among `names`. */
export function cliEnv(names: readonly EnvName[], source: Record<string, string | undefined> = process.env): ReadEnv {
  // The local room is a development tool whatever NODE_ENV says, so its variables always count here.
  const read = readEnv({ ...source, NODE_ENV: "development" });
  const problems = read.problems.filter((problem) => names.includes(problem.variable));
  if (problems.length > 0) throw new Error(describeProblems(problems));
  return read;
}

export function devRoomSecret(repoRoot: string, env: Env): string {
  return env.DEV_ROOM_SECRET ?? loadDevSecrets(repoRoot).roomSecret;
}

export function devRoomDataDir(repoRoot: string, env: Env): string {
  return env.DEV_ROOM_DATA_DIR ? path.resolve(env.DEV_ROOM_DATA_DIR) : path.join(repoRoot, DEV_SECRETS_DIR);
}
