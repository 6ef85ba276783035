import { safeCallbackPath } from "@/lib/shared/safe-callback";

/**
 * Percent-encodes every byte outside printable ASCII, so any string can go
 * into a `Location` header (a raw line break or "é" there makes the response
 * invalid). Lone surrogates become U+FFFD instead of throwing like
 * encodeURIComponent. Characters that are already legal are left alone.
 */
export function encodeForLocation(path: string): string {
  return path.replace(/[^\x21-\x7e]+/gu, (run) =>
    Array.from(new TextEncoder().encode(run), (byte) => `%${byte.toString(16).toUpperCase().padStart(2, "0")}`).join(
      "",
    ),
  );
}

/**
 * The sign-in page, returning to `callbackPath` afterwards: the one way the
 * app builds this link (proxy, room page, failure view, sign-in actions).
 * Only a same-origin path survives (lib/shared/safe-callback.ts).
 */
export function signInUrl(callbackPath: string, { error }: { error?: string } = {}): string {
  const params = new URLSearchParams({ callbackUrl: safeCallbackPath(callbackPath) });
  if (error) params.set("error", error);
  return `/signin?${params}`;
}
