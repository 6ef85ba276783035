import "server-only";
import { Server, type IncomingMessage } from "node:http";
import { trustsProxy, type Env } from "@/lib/env";

const INSTALLED = Symbol.for("meshagent-starter.socket-client-address");
type Patched = typeof Server.prototype & { [INSTALLED]?: true };

/**
 * Where per-IP rate limits take the client address from, in one sentence for
 * the start-up log (instrumentation.ts).
 */
export function describeClientAddress(env: Env): string {
  return trustsProxy(env)
    ? "Forwarded headers are trusted (TRUST_PROXY, AUTH_TRUST_HOST or Vercel): the client address for rate limits is the last X-Forwarded-For entry, written by your proxy. Make sure nothing reaches this server except through that proxy."
    : "Forwarded headers are not trusted: the client address for rate limits is the connection's own. Behind a reverse proxy, set TRUST_PROXY=true (or AUTH_TRUST_HOST=true).";
}

/**
 * When forwarded headers are not trusted, the client address must come from
 * the connection. Route handlers see only headers, and `next start` fills in
 * X-Forwarded-For from the socket only when a request has none, so a client
 * talking straight to it could pick its own address. Before Next sees a
 * request, this replaces X-Forwarded-For with the socket's address and drops
 * X-Real-IP (issue 19 L6). Node's HTTP server only (`next start`); Vercel sets
 * the headers itself and is trusted.
 */
export function takeClientAddressFromSocket(env: Env): void {
  if (trustsProxy(env)) return;
  const prototype = Server.prototype as Patched;
  if (prototype[INSTALLED]) return;
  prototype[INSTALLED] = true;
  const emit = prototype.emit;
  prototype.emit = function (this: Server, event: string | symbol, ...args: unknown[]) {
    if (event === "request") {
      const request = args[0] as IncomingMessage;
      request.headers["x-forwarded-for"] = request.socket.remoteAddress ?? "unknown";
      delete request.headers["x-real-ip"];
    }
    return emit.apply(this, [event, ...args] as Parameters<typeof emit>);
  } as typeof emit;
}
