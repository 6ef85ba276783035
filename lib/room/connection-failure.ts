import { RoomConnectionError } from "@/lib/room/fetch-room-connection";

type FailureKind =
  | "signed_out"
  | "forbidden"
  | "invalid_room"
  | "not_configured"
  | "app_unreachable"
  | "server_error"
  | "rate_limited"
  | "room_unreachable"
  | "dropped";

export interface ConnectionFailure {
  kind: FailureKind;
  /** Whether trying again (with fresh credentials) can fix it. */
  retryable: boolean;
  /** The soonest a retry makes sense (the server's Retry-After), if it said. */
  retryAfterMs?: number;
  title: string;
  message: string;
}

const FAILURES: Record<FailureKind, Omit<ConnectionFailure, "kind" | "message"> & { message?: string }> = {
  signed_out: {
    retryable: false,
    title: "Sign in again",
    message: "Your session has ended. Sign in again to rejoin this room.",
  },
  forbidden: { retryable: false, title: "No access to this room" },
  invalid_room: { retryable: false, title: "Invalid room name" },
  not_configured: { retryable: false, title: "MeshAgent is not configured" },
  app_unreachable: {
    retryable: true,
    title: "Offline",
    message: "Could not reach this app's server. Check your connection.",
  },
  server_error: {
    retryable: true,
    title: "Server error",
    message: "The app's server could not issue room credentials.",
  },
  rate_limited: {
    retryable: true,
    title: "Too many requests",
    message: "This app is limiting how often you can join. It will try again shortly.",
  },
  room_unreachable: {
    retryable: true,
    title: "Could not connect to the room",
    message: "The room server could not be reached or refused the connection.",
  },
  dropped: { retryable: true, title: "Connection lost", message: "The connection to the room was closed." },
};

function failure(kind: FailureKind, message?: string): ConnectionFailure {
  const base = FAILURES[kind];
  return { kind, retryable: base.retryable, title: base.title, message: message ?? base.message ?? base.title };
}

/**
 * Turn whatever ended a connection attempt into something a person can act on.
 * Credential-route refusals (401/403/400/503) are final; 429 waits at least its Retry-After: retrying cannot fix
 * them. Everything about the socket itself is retryable, because a fresh token
 * fixes expiry and a restarted server fixes the rest. In browsers a socket
 * failure is a bare DOM Event with no status, so it cannot be told apart further.
 */
export function classifyFailure(error: unknown, { wasConnected = false } = {}): ConnectionFailure {
  if (error instanceof RoomConnectionError) {
    if (error.status === 401) return failure("signed_out");
    if (error.status === 403) return failure("forbidden", error.message);
    if (error.status === 400) return failure("invalid_room", error.message);
    if (error.status === 503) return failure("not_configured", error.message);
    if (error.status === 429) return { ...failure("rate_limited"), retryAfterMs: error.retryAfterMs ?? undefined };
    if (error.code === "network_error") return failure("app_unreachable");
    return failure("server_error");
  }
  return failure(wasConnected ? "dropped" : "room_unreachable");
}
