import "server-only";

/** The signed-in person as the room sees them. Always derived from the session, never from a request. */
export interface SessionUser {
  id: string;
  name: string;
}

/**
 * The one derivation of a user from Auth.js's session token, used by the
 * session callback (so `session.user` is exactly this) and by the credentials
 * route's direct session read.
 */
export function userFromToken(token: { sub?: unknown; name?: unknown; email?: unknown }): SessionUser | null {
  const id = typeof token.sub === "string" && token.sub ? token.sub : null;
  if (!id) return null;
  const name =
    (typeof token.name === "string" && token.name.trim()) || (typeof token.email === "string" && token.email);
  return { id, name: name || id };
}
