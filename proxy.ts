import { NextResponse, type NextFetchEvent, type NextRequest } from "next/server";
import { auth } from "@/auth";
import { signInUrl } from "@/lib/shared/sign-in-url";

/**
 * Signed-out visitors of a room page go to sign-in and come back afterwards.
 * The room page and the credentials route check the session again themselves:
 * this redirect is for convenience, not the security boundary.
 */
const roomGate = auth((request) => {
  if (request.auth?.user) return NextResponse.next();
  // A session that ended by itself (a refused MeshAgent token refresh) says so on the sign-in page.
  const error = request.auth?.error ? { error: request.auth.error } : {};
  return NextResponse.redirect(
    new URL(signInUrl(request.nextUrl.pathname + request.nextUrl.search, error), request.nextUrl),
  );
});

export function proxy(request: NextRequest, event: NextFetchEvent) {
  // Next decodes dynamic segments (the room name, Auth.js's catch-all) before any handler runs and answers a
  // malformed escape (/rooms/%ZZ, /api/auth/signin/%ZZ) with a bare, unlogged 500: a 404 instead, logged.
  if (!isDecodable(request.nextUrl.pathname)) {
    console.warn(`[proxy] 404 for a malformed escape in ${JSON.stringify(request.nextUrl.pathname.slice(0, 200))}`);
    return NextResponse.rewrite(new URL("/not-found", request.nextUrl), { status: 404 });
  }
  if (!request.nextUrl.pathname.startsWith("/rooms/")) return NextResponse.next();
  // Auth.js types its wrapper for route handlers; as a proxy it passes the second argument through unread.
  return roomGate(request, event as unknown as Parameters<typeof roomGate>[1]);
}

function isDecodable(path: string): boolean {
  try {
    decodeURIComponent(path);
    return true;
  } catch {
    return false;
  }
}

export const config = { matcher: ["/rooms/:path*", "/api/auth/:path*"] };
