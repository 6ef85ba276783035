/**
 * Only same-site paths are valid places to return to after sign-in: an absolute
 * or protocol-relative URL in `callbackUrl` would be an open redirect.
 */
export function safeCallbackPath(value: unknown, fallback = "/"): string {
  if (typeof value !== "string") return fallback;
  if (!value.startsWith("/") || value.startsWith("//") || value.startsWith("/\\")) return fallback;
  return value;
}
