import "server-only";
import { SignJWT } from "jose";
import { fetchWithTimeout, readBoundedText } from "@/lib/auth/meshagent/http";
import type { MeshAgentConfig } from "@/lib/server/meshagent/config";
import { LOCAL_ROOM_LIST_AUDIENCE, localRoomListSchema, type LocalRoomList } from "@/lib/shared/local-room-list";

const LOCAL_TIMEOUT_MS = 3000;

/** Why the local room's list could not be had, in words safe to show. */
export class RoomListUnavailableError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = "RoomListUnavailableError";
  }
}
const MAX_BYTES = 256 * 1024;

/** The room server's HTTP base for its ws(s):// URL. */
function httpBase(apiUrl: string): string {
  return apiUrl.replace(/^ws(s?):\/\//, "http$1://");
}

/**
 * The local room's rooms with data or people in them (`GET /rooms`), asked with
 * a one-minute token only the app can make (signed with the room secret, with
 * the room-list audience).
 */
export async function localRooms(config: MeshAgentConfig): Promise<LocalRoomList["rooms"]> {
  const token = await new SignJWT({})
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setAudience(LOCAL_ROOM_LIST_AUDIENCE)
    .setExpirationTime("60s")
    .sign(new TextEncoder().encode(config.secret));
  let response: Response;
  try {
    response = await fetchWithTimeout(LOCAL_TIMEOUT_MS)(`${httpBase(config.apiUrl)}/rooms`, {
      headers: { Authorization: `Bearer ${token}` },
      cache: "no-store",
    });
  } catch {
    throw new RoomListUnavailableError("the room server could not be reached");
  }
  const text = await readBoundedText(response, MAX_BYTES).catch(() => "");
  if (response.status === 404) throw new RoomListUnavailableError("this room server cannot list its rooms");
  if (!response.ok) throw new RoomListUnavailableError(`the room server answered ${response.status}`);
  let body: unknown = null;
  try {
    body = JSON.parse(text);
  } catch {
    // reported below
  }
  const parsed = localRoomListSchema.safeParse(body);
  if (!parsed.success) throw new RoomListUnavailableError("the room server sent a list this app cannot read");
  return parsed.data.rooms;
}
