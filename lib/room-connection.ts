import { AppError, ConfigError } from "@/lib/errors";
import { readAuthEnv, readMeshAgentEnv } from "@/lib/env";
import { resolveMeshAgentConfig } from "@/lib/meshagent/config";
import { mintRoomCredentials, type RoomCredentials } from "@/lib/meshagent/credentials";
import { participantApiScope } from "@/lib/meshagent/scope";
import { parseRoomName } from "@/lib/room-name";
import { canJoinRoom } from "@/lib/rooms";
import type { SessionUser } from "@/lib/session-user";

/**
 * Everything GET /api/room-connection does, in order: who is asking, which
 * room, may they, is MeshAgent configured, then a token. Each refusal is an
 * AppError whose code decides the HTTP status (lib/errors.ts).
 */
export async function issueRoomCredentials(
  user: SessionUser | null,
  roomParam: string | null,
  source: Record<string, string | undefined> = process.env,
): Promise<RoomCredentials> {
  // Without AUTH_SECRET no session can be verified: say so instead of a bare 401.
  const authEnv = readAuthEnv(source);
  if (authEnv.NODE_ENV === "production" && !authEnv.AUTH_SECRET) throw new ConfigError(["AUTH_SECRET"]);

  if (!user) throw new AppError("unauthorized", "Sign in to join a room.");

  const parsed = parseRoomName(roomParam ?? "");
  if (!parsed.ok) throw new AppError("invalid_room", parsed.message);

  const env = readMeshAgentEnv(source);
  if (!canJoinRoom(user, parsed.room, { allowedRooms: env.MESHAGENT_ROOMS })) {
    throw new AppError("forbidden", `You do not have access to the room "${parsed.room}".`);
  }

  const config = resolveMeshAgentConfig(env);
  return mintRoomCredentials({
    config,
    room: parsed.room,
    participantName: user.name,
    ttlSeconds: env.MESHAGENT_TOKEN_TTL_SECONDS,
    scope: participantApiScope(),
  });
}
