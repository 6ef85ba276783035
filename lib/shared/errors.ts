/**
 * The error codes the app's routes answer with, shared by the server (which
 * maps each to an HTTP status in lib/server/errors.ts) and the browser (which
 * reads the `{ code, message }` body).
 */
const ERROR_CODES = [
  "unauthorized",
  "invalid_room",
  "forbidden",
  "method_not_allowed",
  "not_configured",
  "rate_limited",
  "upstream_unavailable",
  "internal_error",
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ErrorBody {
  code: ErrorCode;
  message: string;
}

export function isErrorBody(value: unknown): value is ErrorBody {
  return (
    typeof value === "object" &&
    value !== null &&
    (ERROR_CODES as readonly unknown[]).includes((value as ErrorBody).code) &&
    typeof (value as ErrorBody).message === "string"
  );
}
