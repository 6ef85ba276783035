import "server-only";
import { Meshagent } from "@meshagent/meshagent";
import type { RoomConnectionInfo } from "@meshagent/meshagent-react";
import type { Env } from "@/lib/env";
import { AppError, MeshAgentUnavailableError } from "@/lib/server/errors";

/** The HTTP status inside the SDK's RoomException message ("... Status code: 403, body: ..."), if any. */
function statusOf(error: unknown): number | null {
  const match = error instanceof Error ? /Status code: (\d{3})/.exec(error.message) : null;
  return match ? Number(match[1]) : null;
}

/**
 * One call to MeshAgent's accounts API through the SDK's REST client, with a
 * deadline (the SDK's own fetch has none: the call is abandoned, not
 * cancelled). Failures become AppErrors; MeshAgent's answer is logged, never
 * shown.
 */
async function call<T>(env: Env, action: string, run: (client: Meshagent) => Promise<T>, token: string): Promise<T> {
  const client = new Meshagent({ baseUrl: env.MESHAGENT_ACCOUNTS_URL, token });
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error("timed out")), env.MESHAGENT_ACCOUNTS_TIMEOUT_SECONDS * 1000);
  });
  try {
    return await Promise.race([run(client), deadline]);
  } catch (error) {
    const status = statusOf(error);
    if (status === 401) throw new AppError("unauthorized", "MeshAgent did not accept your sign-in. Sign in again.");
    if (status === 403 || status === 404) throw new AppError("forbidden", `MeshAgent does not let you ${action}.`);
    console.error(`[meshagent] ${action} failed: ${error instanceof Error ? error.message.slice(0, 300) : error}`);
    throw new MeshAgentUnavailableError(action);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * MESHAGENT_ROOM_ACCESS=user: MeshAgent mints the participant token for the
 * person, with their own access token (`POST /accounts/projects/{project}/rooms/{room}/connect`).
 */
export async function connectRoomAsUser(
  env: Env,
  { projectId, room, accessToken }: { projectId: string; room: string; accessToken: string },
): Promise<RoomConnectionInfo> {
  const info = await call(env, `join the room "${room}"`, (client) => client.connectRoom(projectId, room), accessToken);
  if (!/^wss?:\/\//.test(info.roomUrl) || !info.jwt) throw new MeshAgentUnavailableError(`join the room "${room}"`);
  return { url: info.roomUrl, jwt: info.jwt };
}

/** The project's rooms (names only; MeshAgent's list says nothing about who is in them). */
export async function listProjectRooms(
  env: Env,
  { projectId, token, limit }: { projectId: string; token: string; limit: number },
): Promise<string[]> {
  const rooms = await call(env, "list the project's rooms", (client) => client.listRooms(projectId, { limit }), token);
  return rooms.map((room) => room.name);
}
