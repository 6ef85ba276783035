import "server-only";
import type { RoomConnectionInfo } from "@meshagent/meshagent-react";
import type { SessionUser } from "@/lib/auth/session-user";
import { participantApiScope } from "@/lib/participant-scope";
import type { ReadEnv } from "@/lib/env";
import { assertValidEnv, serverEnv } from "@/lib/server/env";
import { isMeshAgentUser } from "@/lib/auth/meshagent/session-token";
import { AppError, ConfigError, MeshAgentSignInRequiredError } from "@/lib/server/errors";
import { connectRoomAsUser } from "@/lib/server/meshagent/accounts";
import { resolveMeshAgentConfig, resolveUserRoomProject } from "@/lib/server/meshagent/config";
import { mintRoomConnection } from "@/lib/server/meshagent/room-token";
import { canJoinRoom } from "@/lib/server/rooms";
import { parseRoomName } from "@/lib/shared/room-name";

/** How the caller gets the person's MeshAgent access token (MESHAGENT_ROOM_ACCESS=user); null: none usable. */
export type MeshAgentAccessToken = () => Promise<string | null>;

/**
 * Everything GET /api/room-connection does, in order: is the server
 * configured, who is asking, which room, may they, then the room's URL and a
 * participant token (minted here, or by MeshAgent for the person in `user`
 * room access). Each refusal is an AppError whose code decides the HTTP
 * status (lib/server/errors.ts).
 */
export async function issueRoomConnection(
  user: SessionUser | null,
  roomParam: string | null,
  // A caller that already read the environment for this request passes it on (each read checks every variable for changes).
  read: ReadEnv = serverEnv(),
  meshAgentAccessToken: MeshAgentAccessToken = async () => null,
): Promise<RoomConnectionInfo> {
  // Any invalid variable is named here rather than half-working (a bad AUTH_DEV_LOGIN included).
  assertValidEnv(read);
  // Without AUTH_SECRET no session can be verified: say so instead of a bare 401.
  if (read.env.NODE_ENV === "production" && !read.env.AUTH_SECRET) throw new ConfigError(["AUTH_SECRET"]);

  if (!user) throw new AppError("unauthorized", "Sign in to join a room.");

  const parsed = parseRoomName(roomParam ?? "");
  if (!parsed.ok) throw new AppError("invalid_room", parsed.message);

  if (!canJoinRoom(user, parsed.room, { allowedRooms: read.env.MESHAGENT_ROOMS })) {
    throw new AppError("forbidden", `You do not have access to the room "${parsed.room}".`);
  }

  if (read.env.MESHAGENT_ROOM_ACCESS === "user") {
    const projectId = resolveUserRoomProject(read);
    if (!isMeshAgentUser(user.id)) throw new MeshAgentSignInRequiredError();
    const accessToken = await meshAgentAccessToken();
    if (!accessToken) throw new AppError("unauthorized", "Your MeshAgent sign-in has expired. Sign in again.");
    return connectRoomAsUser(read.env, { projectId, room: parsed.room, accessToken });
  }

  return mintRoomConnection({
    config: resolveMeshAgentConfig(read),
    room: parsed.room,
    participantName: user.name,
    ttlSeconds: read.env.MESHAGENT_TOKEN_TTL_SECONDS,
    scope: participantApiScope(),
  });
}
