import "server-only";
import type { NextRequest } from "next/server";
import { withPublicOrigin } from "@/lib/auth/public-origin";
import { withPreciseSignInErrors } from "@/lib/auth/sign-in-failure";
import { limitAuthRequest } from "@/lib/rate-limit/sign-in";

type Handler = (request: NextRequest) => Promise<Response>;

/** Auth.js' route handlers, on the public origin, behind the sign-in rate limit, with precise sign-in error codes. */
export function guardAuthHandlers(handlers: { GET: Handler; POST: Handler }): { GET: Handler; POST: Handler } {
  const guard =
    (handler: Handler): Handler =>
    async (request) => {
      const limited = await limitAuthRequest(request);
      if (limited) return limited;
      return withPreciseSignInErrors(() => handler(withPublicOrigin(request)));
    };
  return { GET: guard(handlers.GET), POST: guard(handlers.POST) };
}
