import { parseApiKey } from "@meshagent/meshagent";
import { ConfigError } from "@/lib/errors";
import { hasMeshAgentCredentials, type MeshAgentEnv } from "@/lib/env";

export const MESHAGENT_CLOUD_URL = "wss://api.meshagent.com";

/**
 * Where rooms live and the secret that signs participant tokens for them.
 * `source` says which variables it came from, for logs and the UI notice.
 */
export interface MeshAgentConfig {
  source: "api-key" | "secret" | "dev-room";
  apiUrl: string;
  secret: string;
  projectId?: string;
  keyId?: string;
}

const NOT_CONFIGURED =
  "MeshAgent is not configured: set MESHAGENT_API_KEY, or MESHAGENT_PROJECT_ID, MESHAGENT_KEY_ID and MESHAGENT_SECRET.";

// Parsing an API key decodes two UUIDs; the key does not change while the process lives.
let cachedKey: { raw: string; parsed: ReturnType<typeof parseApiKey> } | null = null;

function parseKey(raw: string) {
  if (cachedKey?.raw === raw) return cachedKey.parsed;
  try {
    const parsed = parseApiKey(raw);
    cachedKey = { raw, parsed };
    return parsed;
  } catch {
    throw new ConfigError(
      ["MESHAGENT_API_KEY"],
      "MESHAGENT_API_KEY is not a valid MeshAgent API key (expected the ma-… key from your MeshAgent project).",
    );
  }
}

/**
 * Resolution order:
 * 1. MESHAGENT_API_KEY (project id, key id and secret in one string);
 * 2. MESHAGENT_SECRET, with MESHAGENT_PROJECT_ID + MESHAGENT_KEY_ID for MeshAgent cloud
 *    (the secret alone is enough for a self-hosted or local room server);
 * 3. outside production only: the local dev room server started by `npm run dev`.
 * A production build with none of these fails with a ConfigError naming the variables.
 */
export function resolveMeshAgentConfig(env: MeshAgentEnv): MeshAgentConfig {
  const apiUrl = env.MESHAGENT_API_URL ?? MESHAGENT_CLOUD_URL;

  if (env.MESHAGENT_API_KEY) {
    const key = parseKey(env.MESHAGENT_API_KEY);
    return { source: "api-key", apiUrl, secret: key.secret, projectId: key.projectId, keyId: key.id };
  }

  if (hasMeshAgentCredentials(env)) {
    const missing: string[] = [];
    if (!env.MESHAGENT_SECRET) missing.push("MESHAGENT_SECRET");
    if (env.MESHAGENT_PROJECT_ID && !env.MESHAGENT_KEY_ID) missing.push("MESHAGENT_KEY_ID");
    if (env.MESHAGENT_KEY_ID && !env.MESHAGENT_PROJECT_ID) missing.push("MESHAGENT_PROJECT_ID");
    if (missing.length > 0) throw new ConfigError(missing);
    return {
      source: "secret",
      apiUrl,
      secret: env.MESHAGENT_SECRET!,
      projectId: env.MESHAGENT_PROJECT_ID,
      keyId: env.MESHAGENT_KEY_ID,
    };
  }

  if (env.NODE_ENV === "production") {
    throw new ConfigError(["MESHAGENT_API_KEY"], NOT_CONFIGURED);
  }

  if (!env.DEV_ROOM_SECRET) {
    throw new ConfigError(
      ["DEV_ROOM_SECRET"],
      "The local dev room is not running with this app: start both with `npm run dev` (or set MESHAGENT_API_KEY to use MeshAgent cloud).",
    );
  }
  return {
    source: "dev-room",
    apiUrl: env.DEV_ROOM_URL ?? `ws://127.0.0.1:${env.DEV_ROOM_PORT}`,
    secret: env.DEV_ROOM_SECRET,
  };
}
