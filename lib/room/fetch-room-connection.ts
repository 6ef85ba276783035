import type { RoomConnectionInfo } from "@meshagent/meshagent-react";
import { isErrorBody, type ErrorCode } from "@/lib/shared/errors";

/** The room-connection route refused (HTTP status + the route's `{ code, message }`), or could not be reached. */
export class RoomConnectionError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode | "network_error" | "bad_response",
    message: string,
    /** From `Retry-After`, when the route said how long to wait (429). */
    readonly retryAfterMs: number | null = null,
  ) {
    super(message);
    this.name = "RoomConnectionError";
  }
}

/**
 * Fetch the room's RoomConnectionInfo `{ url, jwt }` from GET
 * /api/room-connection. Runs in the browser as the `authorization` callback
 * of useRoomConnection, once per connection attempt, so every attempt gets a
 * fresh short-lived token.
 */
export async function fetchRoomConnection(
  room: string,
  { signal, fetchImpl = fetch }: { signal?: AbortSignal; fetchImpl?: typeof fetch } = {},
): Promise<RoomConnectionInfo> {
  let response: Response;
  try {
    response = await fetchImpl(`/api/room-connection?room=${encodeURIComponent(room)}`, {
      cache: "no-store",
      credentials: "same-origin",
      signal,
    });
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new RoomConnectionError(0, "network_error", "Could not reach this app's server.");
  }

  const body: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    const wait = retryAfterMs(response);
    if (isErrorBody(body)) throw new RoomConnectionError(response.status, body.code, body.message, wait);
    throw new RoomConnectionError(response.status, "bad_response", `The server answered ${response.status}.`, wait);
  }
  const connection = body as Partial<RoomConnectionInfo> | null;
  if (typeof connection?.url !== "string" || typeof connection?.jwt !== "string") {
    throw new RoomConnectionError(response.status, "bad_response", "The server sent no room connection info.");
  }
  return { url: connection.url, jwt: connection.jwt };
}

function retryAfterMs(response: Response): number | null {
  const seconds = Number(response.headers.get("retry-after"));
  return Number.isFinite(seconds) && seconds > 0 ? Math.min(seconds, 3600) * 1000 : null;
}
