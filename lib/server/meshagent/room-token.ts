import "server-only";
import { ParticipantToken, websocketRoomUrl, type ApiScope } from "@meshagent/meshagent";
import type { RoomConnectionInfo } from "@meshagent/meshagent-react";
import { SignJWT } from "jose";
import type { MeshAgentConfig } from "@/lib/server/meshagent/config";

interface MintOptions {
  config: MeshAgentConfig;
  room: string;
  participantName: string;
  ttlSeconds: number;
  scope: ApiScope;
  now?: Date;
}

// Importing an HMAC key costs more than signing with it; the secret does not change while the process lives.
let signingKey: { secret: string; key: Promise<CryptoKey> } | null = null;

function hmacKey(secret: string): Promise<CryptoKey> {
  if (signingKey?.secret !== secret) {
    const key = crypto.subtle.importKey(
      "raw",
      new TextEncoder().encode(secret),
      { name: "HMAC", hash: "SHA-256" },
      false,
      ["sign"],
    );
    signingKey = { secret, key };
  }
  return signingKey.key;
}

/**
 * The room's WebSocket URL and a participant token for it: a grant for one
 * room, role `user`, the given API scope and an explicit expiry. The claims
 * come from the SDK's ParticipantToken, so they are exactly what MeshAgent's
 * room servers expect; signing is what its toJwt does (HS256, `typ: JWT`)
 * with a cached key, and never with a secret the SDK finds in the
 * environment by itself.
 */
export async function mintRoomConnection(options: MintOptions): Promise<RoomConnectionInfo> {
  const { config, room, participantName, ttlSeconds, scope } = options;
  const now = options.now ?? new Date();

  const token = new ParticipantToken({ name: participantName, projectId: config.projectId, apiKeyId: config.keyId });
  token.addRoomGrant(room);
  token.addRoleGrant("user");
  token.addApiGrant(scope);

  const jwt = await new SignJWT({ ...token.toJson(), exp: Math.floor(now.getTime() / 1000) + ttlSeconds })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .sign(await hmacKey(config.secret));

  return { url: websocketRoomUrl({ roomName: room, apiUrl: config.apiUrl }), jwt };
}
