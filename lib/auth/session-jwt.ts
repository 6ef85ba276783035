import "server-only";
import { hkdfSync } from "node:crypto";
import { EncryptJWT, base64url, calculateJwkThumbprint, jwtDecrypt, type JWTPayload } from "jose";

/**
 * The session cookie's encryption: Auth.js's JWE format (`dir`, key id = the
 * key's JWK thumbprint, iat, exp, jti) with A256GCM content encryption instead
 * of Auth.js's default A256CBC-HS512. Auth.js's own decode accepts both, and so
 * does ours, so cookies issued before the switch keep working.
 *
 * Why: with CBC-HS512 jose takes seven WebCrypto calls per decryption (two key
 * imports, an HMAC, a three-call constant-time compare, AES-CBC), each async
 * and most on the libuv thread pool; that was the largest share of the token
 * route's cost. A256GCM authenticates and decrypts in one call, with a key
 * imported once per process. Only keys derived from AUTH_SECRET are kept,
 * never a session or a user.
 */
const SESSION_ENCRYPTION = "A256GCM";
const ENCRYPTIONS = [SESSION_ENCRYPTION, "A256CBC-HS512"] as const;
type Enc = (typeof ENCRYPTIONS)[number];

/** Auth.js's default session lifetime (30 days), used when it passes none. */
const DEFAULT_MAX_AGE_SECONDS = 30 * 24 * 60 * 60;

interface DerivedKey {
  /** CBC-HS512 needs the raw bytes (jose imports them itself); GCM takes a CryptoKey imported once. */
  key: Uint8Array | CryptoKey;
  kid: string;
}

// Deriving the key (HKDF), its id and importing it cost more than decrypting with it; the secret does not change while the process lives.
const derivedKeys = new Map<string, Promise<DerivedKey>>();

async function derive(enc: Enc, secret: string, salt: string): Promise<DerivedKey> {
  // Auth.js's own derivation (@auth/core/jwt): HKDF-SHA256, salted with the cookie name, 64 bytes for CBC-HS512, 32 for GCM.
  const raw = new Uint8Array(
    hkdfSync("sha256", secret, salt, `Auth.js Generated Encryption Key (${salt})`, enc === "A256GCM" ? 32 : 64),
  );
  const kid = await calculateJwkThumbprint(
    { kty: "oct", k: base64url.encode(raw) },
    raw.byteLength === 32 ? "sha256" : "sha512",
  );
  if (enc !== "A256GCM") return { key: raw, kid };
  const key = await crypto.subtle.importKey("raw", raw, "AES-GCM", false, ["encrypt", "decrypt"]);
  return { key, kid };
}

function derivedKey(enc: Enc, secret: string, salt: string): Promise<DerivedKey> {
  const id = `${enc}\u0000${salt}\u0000${secret}`;
  let entry = derivedKeys.get(id);
  if (!entry) {
    entry = derive(enc, secret, salt);
    // A rejected derivation must not stick: the next request tries again.
    entry.catch(() => derivedKeys.delete(id));
    if (derivedKeys.size > 8) derivedKeys.clear();
    derivedKeys.set(id, entry);
  }
  return entry;
}

const secretList = (secret: string | string[]) => (Array.isArray(secret) ? secret : [secret]);

/** Auth.js's `jwt.encode` contract: the token as a JWE encrypted with the first secret. */
export async function encodeSession({
  token = {},
  secret,
  salt,
  maxAge = DEFAULT_MAX_AGE_SECONDS,
}: {
  token?: JWTPayload;
  secret: string | string[];
  salt: string;
  maxAge?: number;
}): Promise<string> {
  const [first] = secretList(secret);
  if (!first) throw new Error("no encryption secret");
  const { key, kid } = await derivedKey(SESSION_ENCRYPTION, first, salt);
  return new EncryptJWT(token)
    .setProtectedHeader({ alg: "dir", enc: SESSION_ENCRYPTION, kid })
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + maxAge)
    .setJti(crypto.randomUUID())
    .encrypt(key);
}

/** Auth.js's `jwt.decode` contract: same algorithms, key id check and 15 s clock tolerance as its own decode. */
export async function decodeSession({
  token,
  secret,
  salt,
}: {
  token?: string;
  secret: string | string[];
  salt: string;
}): Promise<JWTPayload | null> {
  if (!token) return null;
  const { payload } = await jwtDecrypt(
    token,
    async ({ kid, enc }) => {
      const algorithm = ENCRYPTIONS.find((candidate) => candidate === enc);
      if (!algorithm) throw new Error("unsupported content encryption");
      for (const candidate of secretList(secret)) {
        const derived = await derivedKey(algorithm, candidate, salt);
        if (kid === undefined || kid === derived.kid) return derived.key;
      }
      throw new Error("no matching decryption secret");
    },
    { clockTolerance: 15, keyManagementAlgorithms: ["dir"], contentEncryptionAlgorithms: [...ENCRYPTIONS] },
  );
  return payload;
}
