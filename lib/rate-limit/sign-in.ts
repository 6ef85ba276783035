import "server-only";
import { headers } from "next/headers";
import { AppError, errorResponse } from "@/lib/server/errors";
import { clientIp } from "@/lib/rate-limit/client-ip";
import { enforceRateLimit } from "@/lib/rate-limit/limiter";

/** The per-name key: the same person typing "Ada" or " ada " is one budget. */
function nameKey(name: unknown): string | null {
  if (typeof name !== "string") return null;
  const key = name.normalize("NFKC").trim().toLowerCase().slice(0, 100);
  return key === "" ? null : key;
}

/**
 * Auth.js endpoints that start or finish a sign-in: POST signin/<provider>,
 * POST callback/<provider> (dev sign-in's form post) and GET callback/<provider>
 * (an OAuth provider sending the visitor back).
 */
function isSignInRequest(request: Request): boolean {
  const { pathname } = new URL(request.url);
  if (/\/callback\/[^/]+\/?$/.test(pathname)) return request.method === "GET" || request.method === "POST";
  return request.method === "POST" && /\/signin\/[^/]+\/?$/.test(pathname);
}

/** For the Auth.js route: a 429 (or 503 for bad limits) Response when over the limit, else null. */
export async function limitAuthRequest(request: Request): Promise<Response | null> {
  if (!isSignInRequest(request)) return null;
  let name: unknown = null;
  if (request.method === "POST" && request.headers.get("content-type")?.includes("application/x-www-form-urlencoded")) {
    name =
      (
        await request
          .clone()
          .formData()
          .catch(() => null)
      )?.get("name") ?? null;
  }
  try {
    await enforceRateLimit("sign-in", { ip: clientIp(request.headers), user: nameKey(name) });
    return null;
  } catch (error) {
    return errorResponse(error, "/api/auth");
  }
}

/**
 * For the sign-in server actions, which call Auth.js directly rather than over
 * HTTP. Returns the error to show on the sign-in page, or null to go ahead.
 */
export async function signInActionLimit(name: unknown): Promise<"RateLimited" | "Configuration" | null> {
  try {
    await enforceRateLimit("sign-in", { ip: clientIp(await headers()), user: nameKey(name) });
    return null;
  } catch (error) {
    if (error instanceof AppError && error.code === "rate_limited") return "RateLimited";
    // Not an AppError of a known kind: a bad RATE_LIMIT_* value or a store failure.
    console.error("[rate-limit] sign-in limit unavailable:", error instanceof Error ? error.message : error);
    return "Configuration";
  }
}
