import "server-only";
import { encodeApiKey } from "@meshagent/meshagent";
import type { SessionUser } from "@/lib/auth/session-user";
import type { ReadEnv } from "@/lib/env";
import { AppError, ConfigError } from "@/lib/server/errors";
import { listProjectRooms } from "@/lib/server/meshagent/accounts";
import { resolveMeshAgentConfig, resolveUserRoomProject, type MeshAgentConfig } from "@/lib/server/meshagent/config";
import { RoomListUnavailableError, localRooms } from "@/lib/server/room-list/local-rooms";
import { canJoinRoom } from "@/lib/server/rooms";
import { parseRoomName } from "@/lib/shared/room-name";

interface JoinableRoom {
  name: string;
  /** Participants in the room now; undefined where the source does not say (MeshAgent cloud). */
  participants?: number;
}

export type RoomListResult = { ok: true; rooms: JoinableRoom[] } | { ok: false; reason: string };

const LIST_LIMIT = 50;

/** The API key MeshAgent's REST API takes as a bearer token, rebuilt from its parts when given separately. */
function apiKeyOf(config: MeshAgentConfig): string | null {
  if (!config.projectId || !config.keyId) return null;
  try {
    return encodeApiKey({ id: config.keyId, projectId: config.projectId, secret: config.secret });
  } catch {
    return null;
  }
}

async function roomsFromSource(read: ReadEnv, meshAgentToken: () => Promise<string | null>): Promise<JoinableRoom[]> {
  const { env } = read;
  if (env.MESHAGENT_ROOM_ACCESS === "user") {
    const projectId = resolveUserRoomProject(read);
    const token = await meshAgentToken();
    if (!token) {
      // Pages cannot renew the token (lib/auth/meshagent/session-grant.ts); opening a room does.
      throw new AppError(
        "unauthorized",
        "your MeshAgent sign-in is due for renewal, which happens when you open a room",
      );
    }
    const names = await listProjectRooms(env, { projectId, token, limit: LIST_LIMIT });
    return names.map((name) => ({ name }));
  }
  const config = resolveMeshAgentConfig(read);
  // No project: a local or self-hosted room server, which the app asks itself.
  if (!config.projectId) return localRooms(config);
  const apiKey = apiKeyOf(config);
  if (!apiKey) throw new ConfigError(["MESHAGENT_API_KEY"], "listing rooms needs a complete MeshAgent API key");
  const names = await listProjectRooms(env, { projectId: config.projectId, token: apiKey, limit: LIST_LIMIT });
  return names.map((name) => ({ name }));
}

/**
 * The rooms this person could join, for the home page: from the local room
 * (rooms with data or people), or from MeshAgent (the project's rooms, asked
 * with the API key or, in `user` room access, with the person's own token).
 * Names that are not valid room names and rooms canJoinRoom refuses are left
 * out. Never throws: a failure is a reason the page can show.
 */
export async function joinableRooms(
  user: SessionUser,
  read: ReadEnv,
  meshAgentToken: () => Promise<string | null>,
): Promise<RoomListResult> {
  try {
    const rooms = await roomsFromSource(read, meshAgentToken);
    const policy = { allowedRooms: read.env.MESHAGENT_ROOMS };
    return {
      ok: true,
      rooms: rooms.filter((room) => parseRoomName(room.name).ok && canJoinRoom(user, room.name, policy)),
    };
  } catch (error) {
    if (error instanceof AppError || error instanceof RoomListUnavailableError) {
      return { ok: false, reason: error.message };
    }
    console.error("[rooms] could not list rooms:", error);
    return { ok: false, reason: "something went wrong (see the server log)" };
  }
}
