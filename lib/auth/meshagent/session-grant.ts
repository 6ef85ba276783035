import "server-only";
import { auth } from "@/auth";
import { isDue, readGrant, type MeshAgentGrant } from "@/lib/auth/meshagent/grant";
import { readSessionToken } from "@/lib/auth/session-cookie";
import type { Env } from "@/lib/env";

/**
 * The MeshAgent tokens in this request's session cookie, as they are, or null
 * when there are none or they are due for a refresh. For server components:
 * they cannot send a renewed cookie back, so they never refresh (a refresh
 * could rotate the refresh token and lose the new one).
 */
export async function currentMeshAgentGrant(headers: Headers, env: Env): Promise<MeshAgentGrant | null> {
  const grant = readGrant((await readSessionToken(headers, env))?.meshagent);
  return grant && !isDue(grant) ? grant : null;
}

type ApiRouteAuth = (request: { headers: Headers }, response: { headers: Headers }) => Promise<unknown>;

/** `Cookie` header after applying `Set-Cookie` lines: what the browser will send next. */
function cookiesAfter(cookieHeader: string, setCookies: string[]): string {
  const jar = new Map<string, string>();
  for (const pair of cookieHeader.split(";")) {
    const index = pair.indexOf("=");
    if (index > 0) jar.set(pair.slice(0, index).trim(), pair.slice(index + 1).trim());
  }
  for (const line of setCookies) {
    const [pair = "", ...attributes] = line.split(";");
    const index = pair.indexOf("=");
    if (index <= 0) continue;
    const name = pair.slice(0, index).trim();
    const value = pair.slice(index + 1).trim();
    const removed = attributes.some((attribute) => /^\s*(max-age=0|expires=thu, 01 jan 1970)/i.test(attribute));
    if (removed || value === "") jar.delete(name);
    else jar.set(name, value);
  }
  return [...jar].map(([name, value]) => `${name}=${value}`).join("; ");
}

/**
 * The MeshAgent tokens for a route handler, after Auth.js's jwt callback ran
 * for this request: refreshed when due, or gone when MeshAgent refused the
 * refresh (the session then ends). The renewed session cookie is appended to
 * `responseHeaders`, which the route must send.
 */
export async function freshMeshAgentGrant(
  request: Request,
  env: Env,
  responseHeaders: Headers,
): Promise<MeshAgentGrant | null> {
  const collected = new Headers();
  // next-auth's API-route form of auth() (a plain object: a Request would be taken for middleware) runs the
  // session action, and with it the jwt callback, and hands back the rolled cookie.
  await (auth as unknown as ApiRouteAuth)({ headers: request.headers }, { headers: collected });
  const renewed = collected.getSetCookie();
  for (const line of renewed) responseHeaders.append("set-cookie", line);
  const headers = new Headers(request.headers);
  headers.set("cookie", cookiesAfter(request.headers.get("cookie") ?? "", renewed));
  return readGrant((await readSessionToken(headers, env))?.meshagent);
}
