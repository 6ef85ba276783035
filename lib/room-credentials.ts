import type { RoomConnectionInfo } from "@meshagent/meshagent-react";
import { isErrorBody, type ErrorCode } from "@/lib/errors";

/** What the app's credentials route answers: the room's URL and a short-lived participant JWT. */
export type RoomCredentials = RoomConnectionInfo;

/** The credentials route refused (HTTP status + the route's `{ code, message }`). */
export class RoomCredentialsError extends Error {
  readonly status: number;
  readonly code: ErrorCode | "network_error" | "bad_response";
  /** From `Retry-After`, when the route said how long to wait. */
  readonly retryAfterMs: number | null;

  constructor(status: number, code: RoomCredentialsError["code"], message: string, retryAfterMs: number | null = null) {
    super(message);
    this.name = "RoomCredentialsError";
    this.status = status;
    this.code = code;
    this.retryAfterMs = retryAfterMs;
  }
}

function retryAfterMs(response: Response): number | null {
  const seconds = Number(response.headers.get("retry-after"));
  return Number.isFinite(seconds) && seconds > 0 ? Math.min(seconds, 3600) * 1000 : null;
}

/**
 * Fetch room credentials from the app's route (`/api/room-connection`). Runs
 * in the browser once per connection attempt, so every attempt gets a fresh
 * short-lived token.
 */
export async function fetchRoomCredentials(
  room: string,
  { signal, fetchImpl = fetch }: { signal?: AbortSignal; fetchImpl?: typeof fetch } = {},
): Promise<RoomCredentials> {
  let response: Response;
  try {
    response = await fetchImpl(`/api/room-connection?room=${encodeURIComponent(room)}`, {
      cache: "no-store",
      credentials: "same-origin",
      signal,
    });
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new RoomCredentialsError(0, "network_error", "Could not reach this app's server.");
  }

  const body: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    const wait = retryAfterMs(response);
    if (isErrorBody(body)) throw new RoomCredentialsError(response.status, body.code, body.message, wait);
    throw new RoomCredentialsError(response.status, "bad_response", `The server answered ${response.status}.`, wait);
  }
  const credentials = body as Partial<RoomCredentials> | null;
  if (typeof credentials?.url !== "string" || typeof credentials?.jwt !== "string") {
    throw new RoomCredentialsError(response.status, "bad_response", "The server sent no room credentials.");
  }
  return { url: credentials.url, jwt: credentials.jwt };
}
