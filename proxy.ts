import { NextResponse, type NextRequest } from "next/server";
import { auth } from "@/auth";
import { methodNotAllowed } from "@/lib/server/errors";
import { signInUrl } from "@/lib/shared/sign-in-url";

const ROOM_CONNECTION = "/api/room-connection";

/**
 * Signed-out visitors of a room page go to sign-in and come back afterwards.
 * The room page and the credentials route check the session again themselves:
 * this redirect is for convenience, not the security boundary.
 */
const roomPages = auth((request) => {
  if (request.auth?.user) return NextResponse.next();
  return NextResponse.redirect(new URL(signInUrl(request.nextUrl.pathname + request.nextUrl.search), request.nextUrl));
});

export function proxy(request: NextRequest) {
  // TRACE and unknown methods never reach a route handler as a clean 405: answer them here, like the route does.
  if (request.nextUrl.pathname === ROOM_CONNECTION) {
    return request.method === "GET" || request.method === "HEAD"
      ? NextResponse.next()
      : methodNotAllowed(ROOM_CONNECTION);
  }
  // The wrapper passes this context to the callback above, which has no use for it.
  return roomPages(request, { params: Promise.resolve({}) });
}

export const config = { matcher: ["/rooms/:path*", "/api/room-connection"] };
