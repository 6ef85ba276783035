// Verification of MeshAgent participant tokens (HS256 JWTs signed with the
// UTF-8 bytes of a shared secret) and extraction of what the room needs.

import { errors, jwtVerify } from "jose";
import { pathGrantsOf, type PathGrants } from "./path-grants";

export const CLOCK_TOLERANCE_SECONDS = 5;

export interface MessagingPermissions {
  send: boolean;
  broadcast: boolean;
  list: boolean;
}

export interface RoomTokenClaims {
  name: string;
  role: string;
  room: string;
  /** null: the token's api grant does not include messaging. */
  messaging: MessagingPermissions | null;
  /** null: no storage access at all. */
  storage: PathGrants | null;
  /** null: no document sync at all. */
  sync: PathGrants | null;
}

export type TokenRefusalReason = "missing_token" | "invalid_token" | "token_expired" | "wrong_room";

export type TokenCheck =
  { ok: true; claims: RoomTokenClaims } | { ok: false; reason: TokenRefusalReason; message: string };

const FULL_MESSAGING: MessagingPermissions = { send: true, broadcast: true, list: true };

function refuse(reason: TokenRefusalReason, room: string): TokenCheck {
  const messages: Record<TokenRefusalReason, string> = {
    missing_token: "missing token",
    invalid_token: "invalid token",
    token_expired: "token expired",
    wrong_room: `token not valid for room ${room}`,
  };
  return { ok: false, reason, message: messages[reason] };
}

export interface Grant {
  name: string;
  scope: unknown;
}

function readGrants(value: unknown): Grant[] | null {
  if (!Array.isArray(value)) return null;
  const grants: Grant[] = [];
  for (const item of value) {
    if (typeof item !== "object" || item === null || typeof (item as Grant).name !== "string") return null;
    grants.push(item as Grant);
  }
  return grants;
}

// Same rule as the SDK's ParticipantToken.role: first non-"user" role wins.
function roleOf(grants: Grant[]): string {
  for (const grant of grants) {
    if (grant.name === "role" && typeof grant.scope === "string" && grant.scope !== "user") return grant.scope;
  }
  return "user";
}

export function isLegacyVersion(version: unknown): boolean {
  if (version === undefined || version === null) return true;
  if (typeof version !== "string") return false;
  const parts = version.split(".").map((n) => Number.parseInt(n, 10) || 0);
  const [major = 0, minor = 0] = parts;
  return major === 0 && minor < 6;
}

// Tokens without an api grant are what developmentAuthorization() makes (no
// version either); the SDK treats those as legacy full-access tokens, so do we.
// A token that carries an api grant gets exactly what that grant lists.
function messagingOf(grants: Grant[], version: unknown): MessagingPermissions | null {
  const api = grants.find((g) => g.name === "api");
  if (api === undefined || typeof api.scope !== "object" || api.scope === null) {
    return isLegacyVersion(version) ? { ...FULL_MESSAGING } : null;
  }
  const messaging = (api.scope as Record<string, unknown>).messaging;
  if (typeof messaging !== "object" || messaging === null) return null;
  const m = messaging as Record<string, unknown>;
  return { send: m.send !== false, broadcast: m.broadcast !== false, list: m.list !== false };
}

/** Checks a participant token for the room named in the URL. Never throws. */
export async function verifyRoomToken(
  jwt: string | null | undefined,
  secret: string,
  room: string,
): Promise<TokenCheck> {
  if (!jwt) return refuse("missing_token", room);
  let payload: Record<string, unknown>;
  try {
    ({ payload } = await jwtVerify(jwt, new TextEncoder().encode(secret), {
      algorithms: ["HS256"],
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
    }));
  } catch (error) {
    return refuse(error instanceof errors.JWTExpired ? "token_expired" : "invalid_token", room);
  }
  const name = payload.name;
  const grants = readGrants(payload.grants);
  if (typeof name !== "string" || name.length === 0 || grants === null) return refuse("invalid_token", room);
  const roomGrant = grants.find((g) => g.name === "room");
  if (roomGrant === undefined || roomGrant.scope !== room) return refuse("wrong_room", room);
  return {
    ok: true,
    claims: {
      name,
      role: roleOf(grants),
      room,
      messaging: messagingOf(grants, payload.version),
      storage: pathGrantsOf(grants, payload.version, "storage"),
      sync: pathGrantsOf(grants, payload.version, "sync"),
    },
  };
}
