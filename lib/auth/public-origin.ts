import "server-only";
import { NextRequest } from "next/server";
import { trustsProxy, type Env } from "@/lib/env";
import { serverEnv } from "@/lib/server/env";

/**
 * The origin visitors use, from `X-Forwarded-Host`/`-Proto` (first value, as
 * set by the proxy nearest the visitor) or `Host`. Null when absent or not a
 * plain host[:port].
 */
export function forwardedOrigin(headers: Headers, fallbackProtocol: string): string | null {
  const host = (headers.get("x-forwarded-host") ?? headers.get("host"))?.split(",")[0]?.trim();
  const proto = headers.get("x-forwarded-proto")?.split(",")[0]?.trim().toLowerCase() || fallbackProtocol;
  if (!host || (proto !== "http" && proto !== "https")) return null;
  try {
    const url = new URL(`${proto}://${host}`);
    // Anything beyond host[:port] (path, user info, odd characters) is not a host header we act on.
    if (url.host !== host.toLowerCase() || url.username || url.password) return null;
    return url.origin;
  } catch {
    return null;
  }
}

/**
 * `next start` gives route handlers a request URL built from the address the
 * server listens on (`http://localhost:3000/...`), not from the Host header, so
 * Auth.js' route handlers would build every redirect and the OAuth
 * `redirect_uri` on that address. (Server actions and `auth()` already read
 * the forwarded headers.) When the host headers are trusted and no AUTH_URL
 * pins the origin, rebuild the request URL on the public origin.
 */
export function withPublicOrigin(request: NextRequest, env: Env = serverEnv().env): NextRequest {
  // next-auth rewrites the origin to AUTH_URL itself.
  if (env.AUTH_URL || process.env.NEXTAUTH_URL?.trim()) return request;
  if (!trustsProxy(env)) return request;
  const current = new URL(request.url);
  const origin = forwardedOrigin(request.headers, current.protocol.replace(":", ""));
  if (!origin || origin === current.origin) return request;
  return new NextRequest(new URL(current.pathname + current.search, origin), request);
}
