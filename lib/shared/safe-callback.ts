/**
 * The one check for every place the app is sent back to after sign-in
 * (`callbackUrl` on the sign-in page, the server actions, the proxy, the
 * Auth.js `redirect` callback, the room's failure view).
 *
 * String prefix checks are not enough: browsers strip tabs and newlines, read
 * `\` as `/` and resolve dot segments, so `/\t/evil.example`, `/.//evil.example`
 * and `/a/..//evil.example` all leave the site. Instead the value is parsed the
 * way a browser would, and only the normalised path is returned, serialised by
 * the URL parser so it is plain ASCII and always a valid `Location` value.
 *
 * Pure and dependency-free: used by the proxy, server code and the browser.
 */

// Relative values are resolved against this stand-in. It cannot be reached
// from a value that starts with "/", so it only tells "same site" apart from
// "some other host".
const PLACEHOLDER_ORIGIN = "http://callback.invalid";

// Longer values are not a place anyone meant to return to; headers have limits too.
const MAX_LENGTH = 2048;

// What a returned path may contain: printable ASCII, no space, no backslash.
const HEADER_SAFE_PATH = /^\/(?![/\\])[\x21-\x5b\x5d-\x7e]*$/;

/**
 * Returns a same-origin path (`/path?query#hash`) for `value`, or `fallback`.
 * With `appOrigin` (e.g. Auth.js' `baseUrl`), absolute URLs on that origin are
 * accepted too; without it only paths are.
 */
export function safeCallbackPath(value: unknown, fallback = "/", appOrigin?: string): string {
  if (typeof value !== "string" || value.length === 0 || value.length > MAX_LENGTH) return fallback;

  let base: URL;
  try {
    base = new URL(appOrigin ?? PLACEHOLDER_ORIGIN);
  } catch {
    return fallback;
  }
  // Without a known origin only a path can be same-site. (Leading spaces or
  // controls would be stripped by the parser: a value must start with "/" itself.)
  if (!appOrigin && !value.startsWith("/")) return fallback;

  let url: URL;
  try {
    url = new URL(value, base);
  } catch {
    return fallback;
  }
  if (url.origin !== base.origin || url.username || url.password) return fallback;

  const path = url.pathname + url.search + url.hash;
  // After normalisation a path starting "//" would be read as another host.
  if (!HEADER_SAFE_PATH.test(path)) return fallback;
  // Resolving the result again must land on the same URL (no second-pass surprises).
  if (new URL(path, base).href !== url.href) return fallback;
  return path;
}
