// The dev room's own environment, read the same way by `npm run dev:room`
// (main.ts) and by `npm run dev` (scripts/dev.ts).
//   DEV_ROOM_PORT    port to listen on (default 7707, 0 = any free port)
//   DEV_ROOM_SECRET  token signing secret (default: roomSecret from .meshagent-dev/secrets.json)
//   DEV_ROOM_DATA_DIR          room files and documents (default: .meshagent-dev, under rooms/)
//   DEV_ROOM_MAX_UPLOAD_BYTES  largest storage upload (default 25 MiB)

import path from "node:path";
import { DEV_SECRETS_DIR, loadDevSecrets } from "./dev-secrets";
import { DEFAULT_MAX_UPLOAD_BYTES } from "./storage-store";

export const DEFAULT_DEV_ROOM_PORT = 7707;

export function devRoomPort(value: string | undefined = process.env.DEV_ROOM_PORT): number {
  if (value === undefined || value.trim() === "") return DEFAULT_DEV_ROOM_PORT;
  const port = Number(value.trim());
  if (!/^\d+$/.test(value.trim()) || !Number.isInteger(port) || port > 65535) {
    throw new Error(`DEV_ROOM_PORT must be an integer between 0 and 65535, got "${value}"`);
  }
  return port;
}

export function devRoomSecret(repoRoot: string, value: string | undefined = process.env.DEV_ROOM_SECRET): string {
  return value || loadDevSecrets(repoRoot).roomSecret;
}

export function devRoomDataDir(repoRoot: string, value: string | undefined = process.env.DEV_ROOM_DATA_DIR): string {
  return value && value.trim() !== "" ? path.resolve(value.trim()) : path.join(repoRoot, DEV_SECRETS_DIR);
}

export function devRoomMaxUploadBytes(value: string | undefined = process.env.DEV_ROOM_MAX_UPLOAD_BYTES): number {
  if (value === undefined || value.trim() === "") return DEFAULT_MAX_UPLOAD_BYTES;
  const bytes = Number(value.trim());
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(bytes)) {
    throw new Error(`DEV_ROOM_MAX_UPLOAD_BYTES must be a whole number of bytes, got "${value}"`);
  }
  return bytes;
}
