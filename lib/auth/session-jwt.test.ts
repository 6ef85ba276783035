import { base64url, decodeProtectedHeader, type JWTPayload } from "jose";
import { decode as authjsDecode, encode as authjsEncode } from "next-auth/jwt";
import { describe, expect, it } from "vitest";
import { readSessionUser } from "@/lib/auth/session-cookie";
import { decodeSession, encodeSession } from "@/lib/auth/session-jwt";
import { readEnv } from "@/lib/env";

const SECRET = "session-jwt-test-secret-0123456789";
const SALT = "authjs.session-token";
const ada = { sub: "user-1", name: "Ada Lovelace", email: "ada@example.com" };

/** Flips one bit of the JWE part at `index` (0 header ... 4 tag). */
function tamper(jwe: string, index: number): string {
  const parts = jwe.split(".");
  const bytes = base64url.decode(parts[index] ?? "");
  bytes[0] = (bytes[0] ?? 0) ^ 1;
  parts[index] = base64url.encode(bytes);
  return parts.join(".");
}

describe("session cookie encryption", () => {
  it("is Auth.js's JWE format with A256GCM, and Auth.js's own decode reads it", async () => {
    const token = await encodeSession({ token: ada, secret: SECRET, salt: SALT, maxAge: 3600 });
    const header = decodeProtectedHeader(token);
    expect(header).toMatchObject({ alg: "dir", enc: "A256GCM" });
    expect(typeof header.kid).toBe("string");

    const payload = await authjsDecode({ token, secret: SECRET, salt: SALT });
    expect(payload).toMatchObject(ada);
    const now = Math.floor(Date.now() / 1000);
    expect(payload?.exp).toBeGreaterThanOrEqual(now + 3600 - 5);
    expect(payload?.exp).toBeLessThanOrEqual(now + 3600);
    expect(typeof payload?.jti).toBe("string");
    expect(typeof payload?.iat).toBe("number");
  });

  it("reads cookies Auth.js encrypted with its default A256CBC-HS512 (sessions from before the switch)", async () => {
    const token = await authjsEncode({ token: ada, secret: SECRET, salt: SALT, maxAge: 3600 });
    expect(decodeProtectedHeader(token).enc).toBe("A256CBC-HS512");
    expect(await decodeSession({ token, secret: SECRET, salt: SALT })).toMatchObject(ada);
  });

  it("refuses a cookie with any bit changed, in the header, IV, ciphertext or tag, for both encryptions", async () => {
    for (const token of [
      await encodeSession({ token: ada, secret: SECRET, salt: SALT }),
      await authjsEncode({ token: ada, secret: SECRET, salt: SALT }),
    ]) {
      for (const index of [0, 2, 3, 4]) {
        await expect(decodeSession({ token: tamper(token, index), secret: SECRET, salt: SALT })).rejects.toThrow();
      }
    }
  });

  it("refuses another secret or another cookie name (salt), and accepts a rotated-out secret listed second", async () => {
    const token = await encodeSession({ token: ada, secret: SECRET, salt: SALT });
    await expect(decodeSession({ token, secret: `${SECRET}-other`, salt: SALT })).rejects.toThrow();
    await expect(decodeSession({ token, secret: SECRET, salt: `__Secure-${SALT}` })).rejects.toThrow();
    expect(await decodeSession({ token, secret: [`${SECRET}-new`, SECRET], salt: SALT })).toMatchObject(ada);
  });

  it("refuses an expired cookie (beyond Auth.js's 15 s clock tolerance)", async () => {
    const token = await encodeSession({ token: ada, secret: SECRET, salt: SALT, maxAge: -60 });
    await expect(decodeSession({ token, secret: SECRET, salt: SALT })).rejects.toThrow(/exp/);
    await expect(authjsDecode({ token, secret: SECRET, salt: SALT })).rejects.toThrow(/exp/);
  });

  it("gives each request the user of its own cookie and none for a forged one", async () => {
    const env = { ...readEnv({}).env, AUTH_SECRET: SECRET, AUTH_URL: "http://localhost:3000" };
    const grace = { sub: "user-2", name: "Grace Hopper" };
    const headers = async (token: JWTPayload | string) =>
      new Headers({
        cookie: `${SALT}=${typeof token === "string" ? token : await encodeSession({ token, secret: SECRET, salt: SALT })}`,
      });
    const [first, second] = await Promise.all([
      readSessionUser(await headers(ada), env),
      readSessionUser(await headers(grace), env),
    ]);
    expect(first).toEqual({ id: "user-1", name: "Ada Lovelace" });
    expect(second).toEqual({ id: "user-2", name: "Grace Hopper" });
    const forged = tamper(await encodeSession({ token: ada, secret: SECRET, salt: SALT }), 3);
    expect(await readSessionUser(await headers(forged), env)).toBeNull();
  });
});
