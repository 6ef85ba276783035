import "server-only";
import { hkdfSync } from "node:crypto";
import { base64url, calculateJwkThumbprint, jwtDecrypt } from "jose";
import { getToken } from "next-auth/jwt";
import { userFromToken, type SessionUser } from "@/lib/auth/session-user";
import type { Env } from "@/lib/env";

const ENCRYPTIONS = ["A256CBC-HS512", "A256GCM"] as const;
type Enc = (typeof ENCRYPTIONS)[number];
interface DerivedKey {
  key: Uint8Array;
  kid: string;
}

// Deriving the key (HKDF) and its id costs more than decrypting with it; the secret does not change while the process lives.
const derivedKeys = new Map<string, Promise<DerivedKey>>();

function derivedKey(enc: Enc, secret: string, salt: string): Promise<DerivedKey> {
  const id = `${enc}\u0000${salt}\u0000${secret}`;
  let entry = derivedKeys.get(id);
  if (!entry) {
    // Auth.js's own derivation (@auth/core/jwt): HKDF-SHA256, salted with the cookie name.
    const key = new Uint8Array(
      hkdfSync("sha256", secret, salt, `Auth.js Generated Encryption Key (${salt})`, enc === "A256GCM" ? 32 : 64),
    );
    entry = calculateJwkThumbprint(
      { kty: "oct", k: base64url.encode(key) },
      key.byteLength === 32 ? "sha256" : "sha512",
    ).then((kid) => ({ key, kid }));
    if (derivedKeys.size > 8) derivedKeys.clear();
    derivedKeys.set(id, entry);
  }
  return entry;
}

/** Auth.js's `decode`, with the derived key cached: same algorithms, key id check and 15 s clock tolerance. */
async function decode({ token, secret, salt }: { token?: string; secret: string | string[]; salt: string }) {
  if (!token) return null;
  const secrets = Array.isArray(secret) ? secret : [secret];
  const { payload } = await jwtDecrypt(
    token,
    async ({ kid, enc }) => {
      const algorithm = ENCRYPTIONS.find((candidate) => candidate === enc);
      if (!algorithm) throw new Error("unsupported content encryption");
      for (const candidate of secrets) {
        const derived = await derivedKey(algorithm, candidate, salt);
        if (kid === undefined || kid === derived.kid) return derived.key;
      }
      throw new Error("no matching decryption secret");
    },
    { clockTolerance: 15, keyManagementAlgorithms: ["dir"], contentEncryptionAlgorithms: [...ENCRYPTIONS] },
  );
  return payload;
}

/**
 * The signed-in user of a request, read straight from Auth.js's session
 * cookie: decrypted and verified (signature and expiry) by next-auth's own
 * getToken with the same secret, cookie name and salt Auth.js uses.
 *
 * For routes that only need to know who is asking. `auth()` does the same
 * and then re-encrypts a rolled cookie, which a route like the credentials
 * route cannot even send back: that second encryption was most of its cost.
 * Only the key derived from AUTH_SECRET is kept between requests, never a
 * session or a user.
 */
export async function readSessionUser(headers: Headers, env: Env): Promise<SessionUser | null> {
  if (!env.AUTH_SECRET) return null;
  // Auth.js picks the `__Secure-` cookie when its URL is https: AUTH_URL, else the forwarded protocol (https if unknown).
  const protocol = env.AUTH_URL ? new URL(env.AUTH_URL).protocol : `${headers.get("x-forwarded-proto") ?? "https"}:`;
  const token = await getToken({
    // Only the cookie: getToken would also accept an Authorization header, which auth() never reads.
    req: { headers: { cookie: headers.get("cookie") ?? "" } },
    secret: env.AUTH_SECRET,
    secureCookie: protocol === "https:",
    decode,
  });
  return token ? userFromToken(token) : null;
}
