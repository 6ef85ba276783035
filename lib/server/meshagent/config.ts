import "server-only";
import { MESHAGENT_CLOUD_URL, hasMeshAgentCredentials, type Env, type ReadEnv } from "@/lib/env";
import { ConfigError } from "@/lib/server/errors";

/** Where rooms live and the secret that signs participant tokens for them. */
export interface MeshAgentConfig {
  apiUrl: string;
  secret: string;
  projectId?: string;
  keyId?: string;
}

const NOT_CONFIGURED =
  "MeshAgent is not configured: set MESHAGENT_API_KEY, or MESHAGENT_PROJECT_ID, MESHAGENT_KEY_ID and MESHAGENT_SECRET.";

function cloudUrl(env: Env): string {
  return env.MESHAGENT_API_URL ?? MESHAGENT_CLOUD_URL;
}

/**
 * Resolution order:
 * 1. MESHAGENT_API_KEY (project id, key id and secret in one string);
 * 2. MESHAGENT_SECRET, with MESHAGENT_PROJECT_ID + MESHAGENT_KEY_ID for MeshAgent cloud
 *    (the secret alone is enough for a self-hosted or local room server);
 * 3. outside production only: the local dev room server started by `npm run dev`.
 * A production server with none of these fails with a ConfigError naming the variables.
 * Invalid values were refused by the caller (assertValidEnv) before this runs.
 */
export function resolveMeshAgentConfig(read: ReadEnv): MeshAgentConfig {
  const { env } = read;
  if (env.MESHAGENT_API_KEY) {
    const key = env.MESHAGENT_API_KEY;
    return { apiUrl: cloudUrl(env), secret: key.secret, projectId: key.projectId, keyId: key.id };
  }

  if (hasMeshAgentCredentials(read)) {
    const missing: string[] = [];
    if (!env.MESHAGENT_SECRET) missing.push("MESHAGENT_SECRET");
    if (env.MESHAGENT_PROJECT_ID && !env.MESHAGENT_KEY_ID) missing.push("MESHAGENT_KEY_ID");
    if (env.MESHAGENT_KEY_ID && !env.MESHAGENT_PROJECT_ID) missing.push("MESHAGENT_PROJECT_ID");
    if (missing.length > 0 || !env.MESHAGENT_SECRET) throw new ConfigError(missing);
    return {
      apiUrl: cloudUrl(env),
      secret: env.MESHAGENT_SECRET,
      projectId: env.MESHAGENT_PROJECT_ID,
      keyId: env.MESHAGENT_KEY_ID,
    };
  }

  if (env.NODE_ENV === "production") throw new ConfigError(["MESHAGENT_API_KEY"], NOT_CONFIGURED);

  if (!env.DEV_ROOM_SECRET) {
    throw new ConfigError(
      ["DEV_ROOM_SECRET"],
      "The local dev room is not running with this app: start both with `npm run dev` (or set MESHAGENT_API_KEY to use MeshAgent cloud).",
    );
  }
  return {
    apiUrl: env.DEV_ROOM_URL ?? `ws://127.0.0.1:${env.DEV_ROOM_PORT}`,
    secret: env.DEV_ROOM_SECRET,
  };
}

/**
 * MESHAGENT_ROOM_ACCESS=user: MeshAgent issues the room tokens, so no secret
 * is needed here, only which project the rooms belong to (MESHAGENT_PROJECT_ID,
 * or the project of MESHAGENT_API_KEY).
 */
export function resolveUserRoomProject({ env }: ReadEnv): string {
  const projectId = env.MESHAGENT_API_KEY?.projectId ?? env.MESHAGENT_PROJECT_ID;
  if (!projectId) {
    throw new ConfigError(
      ["MESHAGENT_PROJECT_ID"],
      "MESHAGENT_ROOM_ACCESS=user needs the MeshAgent project: set MESHAGENT_PROJECT_ID (or MESHAGENT_API_KEY).",
    );
  }
  return projectId;
}
