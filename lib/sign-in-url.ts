/** The sign-in page, returning to `callbackPath` (a path on this site) afterwards. */
export function signInUrl(callbackPath: string): string {
  return `/signin?${new URLSearchParams({ callbackUrl: callbackPath })}`;
}
