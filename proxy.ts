import { NextResponse } from "next/server";
import { auth } from "@/auth";
import { signInUrl } from "@/lib/shared/sign-in-url";

/**
 * Signed-out visitors of a room page go to sign-in and come back afterwards.
 * The room page and the credentials route check the session again themselves:
 * this redirect is for convenience, not the security boundary.
 */
export const proxy = auth((request) => {
  // Next decodes the room segment before the page runs and answers a malformed escape (/rooms/%ZZ) with a bare 500.
  if (!isDecodable(request.nextUrl.pathname)) return NextResponse.rewrite(new URL("/not-found", request.nextUrl));
  if (request.auth?.user) return NextResponse.next();
  // A session that ended by itself (a refused MeshAgent token refresh) says so on the sign-in page.
  const error = request.auth?.error ? { error: request.auth.error } : {};
  return NextResponse.redirect(
    new URL(signInUrl(request.nextUrl.pathname + request.nextUrl.search, error), request.nextUrl),
  );
});

function isDecodable(path: string): boolean {
  try {
    decodeURIComponent(path);
    return true;
  } catch {
    return false;
  }
}

export const config = { matcher: ["/rooms/:path*"] };
