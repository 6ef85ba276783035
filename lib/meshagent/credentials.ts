import { ParticipantToken, websocketRoomUrl, type ApiScope } from "@meshagent/meshagent";
import type { MeshAgentConfig } from "@/lib/meshagent/config";

export interface RoomCredentials {
  /** WebSocket URL of the room, as the SDK builds it. */
  url: string;
  /** Short-lived participant token (HS256) for exactly this room. */
  jwt: string;
}

export interface MintOptions {
  config: MeshAgentConfig;
  room: string;
  participantName: string;
  ttlSeconds: number;
  scope: ApiScope;
  now?: Date;
}

/**
 * Sign a participant token: a grant for one room, role `user`, the given API
 * scope and an explicit expiry. Signing uses the SDK's ParticipantToken so the
 * claims are exactly what MeshAgent's room servers expect.
 */
export async function mintRoomCredentials(options: MintOptions): Promise<RoomCredentials> {
  const { config, room, participantName, ttlSeconds, scope } = options;
  const now = options.now ?? new Date();

  const token = new ParticipantToken({
    name: participantName,
    projectId: config.projectId,
    apiKeyId: config.keyId,
  });
  token.addRoomGrant(room);
  token.addRoleGrant("user");
  token.addApiGrant(scope);

  // The secret is passed explicitly so the SDK never signs with a secret it
  // found in the environment by itself.
  const jwt = await token.toJwt({
    token: config.secret,
    expiration: new Date(now.getTime() + ttlSeconds * 1000),
  });

  return { url: websocketRoomUrl({ roomName: room, apiUrl: config.apiUrl }), jwt };
}
