import { NextResponse } from "next/server";
import { auth } from "@/auth";
import { safeCallbackPath } from "@/lib/safe-callback";

/**
 * Signed-out visitors of a room page go to sign-in and come back afterwards.
 * The room page and the credentials route check the session again themselves:
 * this redirect is for convenience, not the security boundary.
 */
export const proxy = auth((request) => {
  if (request.auth?.user) return NextResponse.next();
  const signIn = new URL("/signin", request.nextUrl.origin);
  signIn.searchParams.set("callbackUrl", safeCallbackPath(request.nextUrl.pathname + request.nextUrl.search));
  return NextResponse.redirect(signIn);
});

export const config = { matcher: ["/rooms/:path*"] };
