/** The app's room credentials, and the bare server that signs the same JWT. */

import type { BenchContext } from "./context";
import { freePort } from "./ports";
import { startTsChild, waitForOutput, type Managed } from "./proc";

export interface Credentials {
  url: string;
  jwt: string;
}

export function decodeJwt(jwt: string): { header: Record<string, unknown>; claims: Record<string, unknown> } {
  const [header, claims] = jwt
    .split(".")
    .slice(0, 2)
    .map((part) => JSON.parse(Buffer.from(part, "base64url").toString("utf8")) as Record<string, unknown>);
  return { header, claims };
}

export async function fetchCredentials(url: string, cookie: string): Promise<Credentials> {
  const response = await fetch(url, { headers: { cookie }, signal: AbortSignal.timeout(10_000) });
  const body = (await response.json()) as Partial<Credentials>;
  if (!response.ok || typeof body.jwt !== "string" || typeof body.url !== "string") {
    throw new Error(`${url} answered ${response.status}: ${JSON.stringify(body)}`);
  }
  return { url: body.url, jwt: body.jwt };
}

/** Same header, same claims; only exp may differ (it is "now + TTL" at signing time). */
export function sameToken(a: string, b: string): boolean {
  const x = decodeJwt(a);
  const y = decodeJwt(b);
  const strip = (claims: Record<string, unknown>) => JSON.stringify({ ...claims, exp: undefined });
  return JSON.stringify(x.header) === JSON.stringify(y.header) && strip(x.claims) === strip(y.claims);
}

export interface BareHttp {
  url: string;
  proc: Managed;
}

/**
 * Starts bench/lib/bare-http-child.ts on a free 3200+ port, signing exactly
 * the claims of `appCredentials` (fresh exp, same TTL) with the room secret.
 */
export async function startBareHttp(
  ctx: BenchContext,
  appCredentials: Credentials,
  barePageJs?: string,
): Promise<BareHttp> {
  const { claims } = decodeJwt(appCredentials.jwt);
  const template: Record<string, unknown> = { ...claims };
  delete template.exp;
  const ttl = typeof claims.exp === "number" ? claims.exp - Math.floor(Date.now() / 1000) : 600;
  const port = await freePort(3201);
  const proc = startTsChild("bare http server", "tooling/bench/lib/bare-http-child.ts", {
    BENCH_PORT: String(port),
    BENCH_JWT_SECRET: ctx.roomSecret,
    BENCH_JWT_CLAIMS: JSON.stringify(template),
    BENCH_TTL_SECONDS: String(Math.max(30, Math.round(ttl / 10) * 10)),
    BENCH_ROOM_URL: appCredentials.url,
    ...(barePageJs ? { BENCH_BARE_JS: barePageJs } : {}),
  });
  try {
    await waitForOutput(proc, /BENCH_READY/, 30_000);
  } catch (error) {
    await proc.stop();
    throw error;
  }
  return { url: `http://127.0.0.1:${port}`, proc };
}
