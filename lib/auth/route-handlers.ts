import "server-only";
import type { NextRequest } from "next/server";
import { withPublicOrigin } from "@/lib/auth/public-origin";
import { limitAuthRequest } from "@/lib/rate-limit/sign-in";

type Handler = (request: NextRequest) => Promise<Response>;

/** Auth.js' route handlers, on the public origin and behind the sign-in rate limit. */
export function guardAuthHandlers(handlers: { GET: Handler; POST: Handler }): { GET: Handler; POST: Handler } {
  const guard =
    (handler: Handler): Handler =>
    async (request) => {
      const limited = await limitAuthRequest(request);
      if (limited) return limited;
      return handler(withPublicOrigin(request));
    };
  return { GET: guard(handlers.GET), POST: guard(handlers.POST) };
}
