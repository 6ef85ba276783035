// The agent signs its own participant tokens, on the machine it runs on: with
// the local dev room's secret, or with the MeshAgent project's API key.

import {
  AgentsGrant,
  ApiScope,
  MessagingGrant,
  ParticipantToken,
  StorageGrant,
  StoragePathGrant,
  websocketRoomUrl,
} from "@meshagent/meshagent";
import { ROOM_FILES_PREFIX } from "../lib/shared/room-paths";
import { MESHAGENT_CLOUD_URL } from "../lib/env";
import { loadDevSecrets } from "../tooling/dev-room/dev-secrets";
import { AgentConfigError, usesMeshAgentCredentials, type AgentEnv } from "./env";

/** Where the agent's rooms live and what signs its tokens. */
export interface RoomTarget {
  where: "meshagent-api-key" | "meshagent-secret" | "local-dev-room";
  /** Base URL; room URLs are `<apiUrl>/rooms/<room>`. */
  apiUrl: string;
  secret: string;
  projectId?: string;
  keyId?: string;
}

/** Tokens are checked when the socket opens; each reconnect signs a new one. */
const AGENT_TOKEN_TTL_SECONDS = 15 * 60;

export function resolveRoomTarget(env: AgentEnv, repoRoot: string): RoomTarget {
  const apiUrl = env.MESHAGENT_API_URL ?? MESHAGENT_CLOUD_URL;
  if (env.MESHAGENT_API_KEY) {
    const key = env.MESHAGENT_API_KEY;
    return { where: "meshagent-api-key", apiUrl, secret: key.secret, projectId: key.projectId, keyId: key.id };
  }
  if (usesMeshAgentCredentials(env)) {
    if (!env.MESHAGENT_SECRET) throw new AgentConfigError(["MESHAGENT_SECRET"], "MESHAGENT_SECRET is not set.");
    if (Boolean(env.MESHAGENT_PROJECT_ID) !== Boolean(env.MESHAGENT_KEY_ID)) {
      const missing = env.MESHAGENT_PROJECT_ID ? "MESHAGENT_KEY_ID" : "MESHAGENT_PROJECT_ID";
      throw new AgentConfigError([missing], `${missing} is not set.`);
    }
    return {
      where: "meshagent-secret",
      apiUrl,
      secret: env.MESHAGENT_SECRET,
      projectId: env.MESHAGENT_PROJECT_ID,
      keyId: env.MESHAGENT_KEY_ID,
    };
  }
  return {
    where: "local-dev-room",
    apiUrl: env.DEV_ROOM_URL ?? `ws://127.0.0.1:${env.DEV_ROOM_PORT}`,
    secret: env.DEV_ROOM_SECRET ?? loadDevSecrets(repoRoot).roomSecret,
  };
}

export function roomUrl(target: RoomTarget, room: string): string {
  return websocketRoomUrl({ roomName: room, apiUrl: target.apiUrl });
}

/**
 * What the demo agent may do: send direct messages, see who is here, keep its
 * turn-protocol threads in room storage under its own `.threads/<agent>/`
 * folder, and read and write the room's shared files under `files/` (its
 * tools: list, read, save after approval, and the size of a file someone
 * gives it). Every AgentsGrant field is spelled out because the SDK defaults
 * each to true; no broadcast (it only answers the person who asked), no sync,
 * queues, database or containers. Widen this when your agent logic needs more.
 */
function agentApiScope(agentName: string): ApiScope {
  return new ApiScope({
    messaging: new MessagingGrant({ send: true, list: true, broadcast: false }),
    storage: new StorageGrant({
      paths: [
        new StoragePathGrant({ path: `.threads/${agentName}/`, readOnly: false }),
        new StoragePathGrant({ path: ROOM_FILES_PREFIX, readOnly: false }),
      ],
    }),
    agents: new AgentsGrant({
      registerAgent: false,
      registerPublicToolkit: false,
      registerPrivateToolkit: false,
      call: false,
      useAgents: false,
      useTools: false,
    }),
  });
}

export async function signAgentToken(options: {
  target: RoomTarget;
  room: string;
  agentName: string;
  ttlSeconds?: number;
  now?: Date;
}): Promise<string> {
  const { target, room, agentName } = options;
  const now = options.now ?? new Date();
  const token = new ParticipantToken({ name: agentName, projectId: target.projectId, apiKeyId: target.keyId });
  token.addRoomGrant(room);
  token.addRoleGrant("agent");
  token.addApiGrant(agentApiScope(agentName));
  // The secret is passed explicitly so the SDK never signs with one it found in the environment by itself.
  return token.toJwt({
    token: target.secret,
    expiration: new Date(now.getTime() + (options.ttlSeconds ?? AGENT_TOKEN_TTL_SECONDS) * 1000),
  });
}
