// GET /rooms: which rooms hold data (room files, documents) or have someone
// in them, for the app's home page. Only for the app: the bearer token must
// be signed with the room secret and carry the room-list audience.

import { promises as fs } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import path from "node:path";
import { jwtVerify } from "jose";
import { LOCAL_ROOM_LIST_AUDIENCE, LOCAL_ROOM_LIST_MAX, type LocalRoomList } from "../../lib/shared/local-room-list";

/** Room folders looked at, and entries looked at per folder, at most: the answer stays cheap however big the data. */
const MAX_FOLDERS = 1000;
const MAX_ENTRIES_PER_FOLDER = 200;

/** Whether `dir` holds at least one file, anywhere below it (bounded). */
async function holdsAFile(dir: string, depth = 0): Promise<boolean> {
  if (depth > 8) return false;
  let entries: import("node:fs").Dirent[];
  try {
    entries = await fs.readdir(dir, { withFileTypes: true });
  } catch {
    return false;
  }
  for (const entry of entries.slice(0, MAX_ENTRIES_PER_FOLDER)) {
    if (entry.isFile()) return true;
    if (entry.isDirectory() && (await holdsAFile(path.join(dir, entry.name), depth + 1))) return true;
  }
  return false;
}

/** Room names whose folder (storage-store.ts: rooms/r-<base64url name>/) holds files or documents. */
async function roomsWithData(dataDir: string): Promise<string[]> {
  let folders: string[];
  try {
    folders = await fs.readdir(path.join(dataDir, "rooms"));
  } catch {
    return [];
  }
  const names: string[] = [];
  for (const folder of folders.slice(0, MAX_FOLDERS)) {
    // h-<hash> folders belong to names too long for any app room: they cannot be listed by name.
    if (!folder.startsWith("r-")) continue;
    const name = Buffer.from(folder.slice(2), "base64url").toString("utf8");
    if (await holdsAFile(path.join(dataDir, "rooms", folder))) names.push(name);
  }
  return names;
}

async function authorized(request: IncomingMessage, secret: string): Promise<boolean> {
  const match = /^Bearer (.+)$/.exec(request.headers.authorization ?? "");
  if (!match) return false;
  try {
    await jwtVerify(match[1]!, new TextEncoder().encode(secret), {
      algorithms: ["HS256"],
      audience: LOCAL_ROOM_LIST_AUDIENCE,
      requiredClaims: ["exp"],
    });
    return true;
  } catch {
    return false;
  }
}

export async function serveRoomList(
  request: IncomingMessage,
  response: ServerResponse,
  options: { secret: string; dataDir: string; occupancy: () => Record<string, unknown[]> },
): Promise<void> {
  const send = (status: number, body: unknown) => {
    response.writeHead(status, { "Content-Type": "application/json", "Cache-Control": "no-store" });
    response.end(JSON.stringify(body));
  };
  if (!(await authorized(request, options.secret))) return send(401, { error: "a room-list token is required" });
  const counts = new Map<string, number>();
  for (const [room, members] of Object.entries(options.occupancy())) {
    if (members.length > 0) counts.set(room, members.length);
  }
  const withData = new Set(await roomsWithData(options.dataDir));
  const names = new Set([...counts.keys(), ...withData]);
  const rooms: LocalRoomList["rooms"] = [...names]
    .map((name) => ({ name, participants: counts.get(name) ?? 0, hasData: withData.has(name) }))
    .sort((a, b) => b.participants - a.participants || a.name.localeCompare(b.name))
    .slice(0, LOCAL_ROOM_LIST_MAX);
  send(200, { rooms });
}
