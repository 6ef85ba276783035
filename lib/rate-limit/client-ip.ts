/**
 * The client address a request came from, for per-IP limits.
 *
 * Route handlers see no socket, only headers. `next start` fills in
 * X-Forwarded-For from the socket when the header is absent; Vercel and
 * reverse proxies such as nginx (`$proxy_add_x_forwarded_for`) append the
 * address they saw, so the last entry is the one written by the nearest
 * proxy. A client talking straight to `next start` can choose that header:
 * the per-user limits are what hold then (see README "Security notes").
 */
export function clientIp(headers: Headers): string {
  const forwarded = headers.get("x-forwarded-for");
  const last = forwarded?.split(",").pop()?.trim();
  if (last) return last.slice(0, 64);
  return headers.get("x-real-ip")?.trim().slice(0, 64) || "unknown";
}
