import { auth } from "@/auth";
import { AppError, errorResponse } from "@/lib/errors";
import { enforceRateLimit } from "@/lib/rate-limit/limiter";
import { clientIp } from "@/lib/rate-limit/client-ip";
import { issueRoomCredentials } from "@/lib/room-connection";
import { sessionUser } from "@/lib/session-user";

/**
 * GET /api/room-connection?room=<name> -> { url, jwt } for the signed-in user.
 * Called by the browser's useRoomConnection `authorization` callback.
 */
export async function GET(request: Request): Promise<Response> {
  try {
    const session = await auth();
    await enforceRateLimit("room-connection", { ip: clientIp(request.headers), user: sessionUser(session)?.id });
    const room = new URL(request.url).searchParams.get("room");
    const credentials = await issueRoomCredentials(sessionUser(session), room);
    return Response.json(credentials, { headers: { "Cache-Control": "no-store" } });
  } catch (error) {
    return errorResponse(error);
  }
}

function methodNotAllowed(): Response {
  return errorResponse(new AppError("method_not_allowed", "Use GET to request room credentials.", { Allow: "GET" }));
}

export { methodNotAllowed as POST, methodNotAllowed as PUT, methodNotAllowed as PATCH, methodNotAllowed as DELETE };
