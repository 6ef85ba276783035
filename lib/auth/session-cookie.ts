import "server-only";
import { getToken, type JWT } from "next-auth/jwt";
import { decodeSession } from "@/lib/auth/session-jwt";
import { userFromToken, type SessionUser } from "@/lib/auth/session-user";
import type { Env } from "@/lib/env";

/**
 * The signed-in user of a request, read straight from Auth.js's session
 * cookie: decrypted and verified (signature and expiry) by next-auth's own
 * getToken with the same secret, cookie name and salt Auth.js uses.
 *
 * For routes that only need to know who is asking. `auth()` does the same
 * and then re-encrypts a rolled cookie, which a route like the credentials
 * route cannot even send back: that second encryption was most of its cost.
 * Only the keys derived from AUTH_SECRET are kept between requests, never a
 * session or a user (lib/auth/session-jwt.ts).
 */
export async function readSessionUser(headers: Headers, env: Env): Promise<SessionUser | null> {
  const token = await readSessionToken(headers, env);
  return token ? userFromToken(token) : null;
}

/** The whole decrypted session token (server-side only: it carries the MeshAgent tokens), or null. */
export async function readSessionToken(headers: Headers, env: Env): Promise<JWT | null> {
  if (!env.AUTH_SECRET) return null;
  // Auth.js picks the `__Secure-` cookie when its URL is https: AUTH_URL, else the forwarded protocol (https if unknown).
  const protocol = env.AUTH_URL ? new URL(env.AUTH_URL).protocol : `${headers.get("x-forwarded-proto") ?? "https"}:`;
  return getToken({
    // Only the cookie: getToken would also accept an Authorization header, which auth() never reads.
    req: { headers: { cookie: headers.get("cookie") ?? "" } },
    secret: env.AUTH_SECRET,
    secureCookie: protocol === "https:",
    decode: decodeSession,
  });
}
