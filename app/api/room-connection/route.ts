import { freshMeshAgentGrant } from "@/lib/auth/meshagent/session-grant";
import { readSessionUser } from "@/lib/auth/session-cookie";
import { serverEnv } from "@/lib/server/env";
import { errorResponse, methodNotAllowed } from "@/lib/server/errors";
import { issueRoomConnection } from "@/lib/server/room-connection";
import { clientIp } from "@/lib/rate-limit/client-ip";
import { enforceRateLimit } from "@/lib/rate-limit/limiter";

const ROUTE = "/api/room-connection";

/**
 * GET /api/room-connection?room=<name> -> RoomConnectionInfo `{ url, jwt }`
 * for the signed-in user. Called by the browser's useRoomConnection
 * `authorization` callback, once per connection attempt.
 */
export async function GET(request: Request): Promise<Response> {
  // With MESHAGENT_ROOM_ACCESS=user the person's MeshAgent token may be renewed here: the new cookie goes back.
  const renewed = new Headers();
  try {
    const read = serverEnv();
    const user = await readSessionUser(request.headers, read.env);
    await enforceRateLimit("room-connection", { ip: clientIp(request.headers), user: user?.id });
    const room = new URL(request.url).searchParams.get("room");
    const connection = await issueRoomConnection(user, room, read, async () => {
      return (await freshMeshAgentGrant(request, read.env, renewed))?.accessToken ?? null;
    });
    return withCookies(Response.json(connection, { headers: { "Cache-Control": "no-store" } }), renewed);
  } catch (error) {
    return withCookies(errorResponse(error, ROUTE), renewed);
  }
}

function withCookies(response: Response, cookies: Headers): Response {
  for (const line of cookies.getSetCookie()) response.headers.append("set-cookie", line);
  return response;
}

function refuse(): Response {
  return methodNotAllowed(ROUTE);
}

// OPTIONS too: Next's automatic answer would advertise methods that always 405.
export { refuse as POST, refuse as PUT, refuse as PATCH, refuse as DELETE, refuse as OPTIONS };
