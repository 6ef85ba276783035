import "server-only";
import type { NextRequest } from "next/server";
import { knowsPublicOrigin } from "@/lib/auth/policy";
import { withPublicOrigin } from "@/lib/auth/public-origin";
import { withPreciseSignInErrors } from "@/lib/auth/sign-in-failure";
import { limitAuthRequest } from "@/lib/rate-limit/sign-in";
import { ConfigError, errorResponse } from "@/lib/server/errors";
import { serverEnv } from "@/lib/server/env";

type Handler = (request: NextRequest) => Promise<Response>;

/** Auth.js' route handlers, on the public origin, behind the sign-in rate limit, with precise sign-in error codes. */
export function guardAuthHandlers(handlers: { GET: Handler; POST: Handler }): { GET: Handler; POST: Handler } {
  const guard =
    (handler: Handler): Handler =>
    async (request) => {
      // Auth.js would answer a bare 500 (UntrustedHost) to every request: name the setting instead.
      if (!knowsPublicOrigin(serverEnv().env)) {
        return errorResponse(
          new ConfigError(
            ["AUTH_URL", "AUTH_TRUST_HOST"],
            "Sign-in needs the site's public address: set AUTH_URL to it, or AUTH_TRUST_HOST=true behind a proxy that sets the host headers.",
          ),
          "/api/auth",
        );
      }
      const limited = await limitAuthRequest(request);
      if (limited) return limited;
      return withPreciseSignInErrors(() => handler(withPublicOrigin(request)));
    };
  return { GET: guard(handlers.GET), POST: guard(handlers.POST) };
}
