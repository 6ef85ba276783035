import "server-only";
import type { ErrorBody, ErrorCode } from "@/lib/shared/errors";

/**
 * Every error a route reports is an AppError with a stable code. The code
 * decides the HTTP status here, in one table, so route handlers never pick
 * statuses themselves and never leak a stack trace.
 */
const STATUS_BY_CODE: Record<ErrorCode, number> = {
  unauthorized: 401,
  invalid_room: 400,
  forbidden: 403,
  method_not_allowed: 405,
  not_configured: 503,
  rate_limited: 429,
  upstream_unavailable: 502,
  internal_error: 500,
};

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = "AppError";
  }

  get status(): number {
    return STATUS_BY_CODE[this.code];
  }
}

/** A variable is missing or invalid. The message names it; the value is never echoed. */
export class ConfigError extends AppError {
  constructor(
    readonly variables: string[],
    detail?: string,
  ) {
    super("not_configured", detail ?? `Missing required environment variable(s): ${variables.join(", ")}`);
    this.name = "ConfigError";
  }
}

/**
 * MESHAGENT_ROOM_ACCESS=user: MeshAgent issues room tokens only for its own
 * users, so someone signed in another way cannot join any room.
 */
export class MeshAgentSignInRequiredError extends AppError {
  constructor() {
    super(
      "forbidden",
      "This site lets MeshAgent decide who may join its rooms: sign out and sign in with MeshAgent to join.",
    );
    this.name = "MeshAgentSignInRequiredError";
  }
}

/** MeshAgent's accounts API failed, timed out or answered nonsense: worth retrying later. */
export class MeshAgentUnavailableError extends AppError {
  constructor(action: string) {
    super("upstream_unavailable", `MeshAgent could not ${action} right now. Try again shortly.`);
    this.name = "MeshAgentUnavailableError";
  }
}

/** Map anything thrown to a JSON `{ code, message }` response. Unknown errors are logged, not echoed. */
export function errorResponse(error: unknown, route: string): Response {
  const appError =
    error instanceof AppError ? error : new AppError("internal_error", "Something went wrong. Check the server logs.");
  if (!(error instanceof AppError)) console.error(`[${route}] unexpected error`, error);
  const body: ErrorBody = { code: appError.code, message: appError.message };
  return Response.json(body, {
    status: STATUS_BY_CODE[appError.code],
    headers: { "Cache-Control": "no-store", ...appError.headers },
  });
}

/** 405 for every method a GET-only route does not serve (OPTIONS and unknown methods included). */
export function methodNotAllowed(route: string): Response {
  return errorResponse(new AppError("method_not_allowed", `Use GET for ${route}.`, { Allow: "GET" }), route);
}
