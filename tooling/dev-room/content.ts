// Response contents the server sends back in `__response__` messages, and the
// error codes of the MeshAgent API (Python SDK error_codes.py).

import type { JsonObject } from "./framing";

export const ErrorCode = {
  PERMISSION_DENIED: 1001,
  INVALID_REQUEST: 1002,
  NOT_FOUND: 1003,
  ALREADY_EXISTS: 1004,
  OPERATION_FAILED: 1008,
  TIMEOUT: 1009,
} as const;

export type ErrorCodeValue = (typeof ErrorCode)[keyof typeof ErrorCode];

/** The JS client special-cases this exact text (MessagingClient._isParticipantNotFound). */
export const PARTICIPANT_NOT_FOUND = "the participant was not found";

export const emptyContent = (): JsonObject => ({ type: "empty" });

export const errorContent = (text: string, code: ErrorCodeValue): JsonObject => ({ type: "error", text, code });

/** Thrown by request handlers to answer the request with an error content. */
export class RequestError extends Error {
  constructor(
    message: string,
    readonly code: ErrorCodeValue,
  ) {
    super(message);
    this.name = "RequestError";
  }
}
