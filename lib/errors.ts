/**
 * Every error the app reports to a client is an AppError with a stable `code`.
 * The code decides the HTTP status here, in one table, so route handlers never
 * pick statuses themselves and never leak a stack trace.
 */
const STATUS_BY_CODE = {
  unauthorized: 401,
  invalid_room: 400,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  rate_limited: 429,
  not_configured: 503,
  internal_error: 500,
} as const;

export type ErrorCode = keyof typeof STATUS_BY_CODE;

export interface ErrorBody {
  code: ErrorCode;
  message: string;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly headers: Record<string, string>;

  constructor(code: ErrorCode, message: string, headers: Record<string, string> = {}) {
    super(message);
    this.name = "AppError";
    this.code = code;
    this.headers = headers;
  }

  get status(): number {
    return STATUS_BY_CODE[this.code];
  }
}

/** A required environment variable is missing or invalid. The message names them. */
export class ConfigError extends AppError {
  readonly variables: string[];

  constructor(variables: string[], detail?: string) {
    super("not_configured", detail ?? `Missing required environment variable(s): ${variables.join(", ")}`);
    this.name = "ConfigError";
    this.variables = variables;
  }
}

/** Map anything thrown to a JSON `{ code, message }` response. Unknown errors are logged, not echoed. */
export function errorResponse(error: unknown, extraHeaders: Record<string, string> = {}): Response {
  const appError =
    error instanceof AppError ? error : new AppError("internal_error", "Something went wrong. Check the server logs.");
  if (!(error instanceof AppError)) console.error("[room-connection] unexpected error", error);
  const body: ErrorBody = { code: appError.code, message: appError.message };
  return Response.json(body, {
    status: appError.status,
    headers: { "Cache-Control": "no-store", ...appError.headers, ...extraHeaders },
  });
}

export function isErrorBody(value: unknown): value is ErrorBody {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as ErrorBody).code === "string" &&
    typeof (value as ErrorBody).message === "string"
  );
}
