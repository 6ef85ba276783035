import { safeCallbackPath } from "@/lib/safe-callback";

/** The sign-in page, returning to `callbackPath` afterwards (only ever a path on this site). */
export function signInUrl(callbackPath: string): string {
  return `/signin?${new URLSearchParams({ callbackUrl: safeCallbackPath(callbackPath) })}`;
}
