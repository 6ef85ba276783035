import { isErrorBody, type ErrorCode } from "@/lib/errors";

/** The credentials route refused (HTTP status + the route's `{ code, message }`). */
export class RoomAuthorizationError extends Error {
  readonly status: number;
  readonly code: ErrorCode | "network_error" | "bad_response";

  constructor(status: number, code: RoomAuthorizationError["code"], message: string) {
    super(message);
    this.name = "RoomAuthorizationError";
    this.status = status;
    this.code = code;
  }
}

export interface RoomCredentialsResponse {
  url: string;
  jwt: string;
}

/**
 * Fetch `{ url, jwt }` from the app's credentials route. Runs in the browser as
 * the `authorization` callback of useRoomConnection, once per connection
 * attempt, so every attempt gets a fresh short-lived token.
 */
export async function fetchRoomCredentials(
  room: string,
  { signal, fetchImpl = fetch }: { signal?: AbortSignal; fetchImpl?: typeof fetch } = {},
): Promise<RoomCredentialsResponse> {
  let response: Response;
  try {
    response = await fetchImpl(`/api/room-connection?room=${encodeURIComponent(room)}`, {
      cache: "no-store",
      credentials: "same-origin",
      signal,
    });
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new RoomAuthorizationError(0, "network_error", "Could not reach this app's server.");
  }

  const body: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    if (isErrorBody(body)) throw new RoomAuthorizationError(response.status, body.code, body.message);
    throw new RoomAuthorizationError(response.status, "bad_response", `The server answered ${response.status}.`);
  }
  const credentials = body as Partial<RoomCredentialsResponse> | null;
  if (typeof credentials?.url !== "string" || typeof credentials?.jwt !== "string") {
    throw new RoomAuthorizationError(response.status, "bad_response", "The server sent no room credentials.");
  }
  return { url: credentials.url, jwt: credentials.jwt };
}
