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

/**
 * `api.agents` (the SDK's AgentsGrant). A field the token leaves out is
 * granted, as in the SDK's constructor (`?? true`); 0.35.8 writes camelCase
 * (JSON of the class), 0.39.9 and Python write snake_case and omit true.
 */
export interface AgentsPermissions {
  registerPublicToolkit: boolean;
  registerPrivateToolkit: boolean;
  useTools: boolean;
  call: boolean;
  /** 0.39.9 `allowed_toolkits`: null = any toolkit. */
  allowedToolkits: string[] | null;
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
  /** null: the token's api grant does not include agents (no participant toolkits at all). */
  agents: AgentsPermissions | null;
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

const FULL_AGENTS: AgentsPermissions = {
  registerPublicToolkit: true,
  registerPrivateToolkit: true,
  useTools: true,
  call: true,
  allowedToolkits: null,
};

function agentsOf(grants: Grant[], version: unknown): AgentsPermissions | null {
  const api = grants.find((g) => g.name === "api");
  if (api === undefined || typeof api.scope !== "object" || api.scope === null) {
    return isLegacyVersion(version) ? { ...FULL_AGENTS } : null;
  }
  const agents = (api.scope as Record<string, unknown>).agents;
  if (typeof agents !== "object" || agents === null || Array.isArray(agents)) return null;
  const a = agents as Record<string, unknown>;
  // Absent means granted (the SDK's default); anything but a boolean true is refused (fail closed).
  const flag = (snake: string, camel: string): boolean => {
    const value = a[snake] ?? a[camel];
    return value === undefined || value === null || value === true;
  };
  const allowed = a.allowed_toolkits ?? a.allowedToolkits;
  return {
    registerPublicToolkit: flag("register_public_toolkit", "registerPublicToolkit"),
    registerPrivateToolkit: flag("register_private_toolkit", "registerPrivateToolkit"),
    useTools: flag("use_tools", "useTools"),
    call: flag("call", "call"),
    allowedToolkits:
      allowed === undefined || allowed === null
        ? null
        : Array.isArray(allowed)
          ? allowed.filter((name): name is string => typeof name === "string")
          : [],
  };
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
      agents: agentsOf(grants, payload.version),
    },
  };
}
