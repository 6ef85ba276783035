// Every environment variable the demo agent reads, validated with zod. Kept
// apart from the app's env module on purpose: the agent is a separate program.
//
//   AGENT_NAME                   participant name, also the thread folder (default "assistant")
//   AGENT_ROOMS                  comma-separated rooms to join (default MESHAGENT_DEFAULT_ROOM, else "lobby")
//   AGENT_REPLY_TIMEOUT_SECONDS  longest a reply may take before the user is told (default 60)
//   OPENAI_API_KEY               set: answer with a model; unset: the offline brain
//   OPENAI_BASE_URL              any OpenAI-compatible server (Ollama, vLLM, ...); default OpenAI
//   OPENAI_MODEL                 chat-completions model id (default gpt-4o-mini)
//   AGENT_MODEL_STREAMING        "false" for servers that cannot stream (default true)
//   DEV_AGENT                    "false": `npm run dev` does not start the demo agent
//   MeshAgent: MESHAGENT_API_KEY | MESHAGENT_SECRET (+ MESHAGENT_PROJECT_ID, MESHAGENT_KEY_ID),
//              MESHAGENT_API_URL, MESHAGENT_DEFAULT_ROOM
//   Local room (no MeshAgent credentials): DEV_ROOM_URL, DEV_ROOM_PORT, DEV_ROOM_SECRET

import { z } from "zod";
import { AGENT_NAME_PATTERN } from "./contract";

const ROOM_NAME = /^[a-z0-9][a-z0-9_-]{0,63}$/;
export const DEFAULT_AGENT_NAME = "assistant";
const DEFAULT_MODEL = "gpt-4o-mini";
export const MESHAGENT_CLOUD_URL = "wss://api.meshagent.com";

/** `FOO=` (blank) counts as unset: .env files and dashboards produce it. */
function unset<T extends z.ZodType>(schema: T) {
  return z.preprocess((value) => {
    if (typeof value !== "string") return value;
    const trimmed = value.trim();
    return trimmed === "" ? undefined : trimmed;
  }, schema);
}

const optional = unset(z.string().optional());
const flag = (fallback: boolean) =>
  unset(
    z
      .string()
      .transform((v) => v.toLowerCase())
      .pipe(z.enum(["true", "false"]))
      .transform((v) => v === "true")
      .default(fallback),
  );
const url = (protocol: RegExp, error: string) =>
  unset(
    z
      .url({ protocol, error })
      .transform((u) => u.replace(/\/+$/, ""))
      .optional(),
  );
const roomName = z.string().regex(ROOM_NAME, { error: "room names are lowercase letters, digits, '-' and '_'" });

const schema = z.object({
  AGENT_NAME: unset(
    z
      .string()
      .regex(AGENT_NAME_PATTERN, { error: "use 1-64 letters, digits, '.', '_' or '-'" })
      .default(DEFAULT_AGENT_NAME),
  ),
  AGENT_ROOMS: unset(
    z
      .string()
      .transform((v) =>
        v
          .split(",")
          .map((room) => room.trim())
          .filter(Boolean),
      )
      .pipe(z.array(roomName).min(1).max(32))
      .optional(),
  ),
  AGENT_REPLY_TIMEOUT_SECONDS: unset(z.coerce.number().min(1).max(3600).default(60)),
  OPENAI_API_KEY: optional,
  OPENAI_BASE_URL: url(/^https?$/, "must be an http:// or https:// URL"),
  OPENAI_MODEL: unset(z.string().max(200).default(DEFAULT_MODEL)),
  AGENT_MODEL_STREAMING: flag(true),
  DEV_AGENT: flag(true),
  MESHAGENT_API_KEY: optional,
  MESHAGENT_SECRET: optional,
  MESHAGENT_PROJECT_ID: optional,
  MESHAGENT_KEY_ID: optional,
  MESHAGENT_API_URL: url(/^(wss?|https?)$/, "must be a ws://, wss://, http:// or https:// URL"),
  MESHAGENT_DEFAULT_ROOM: unset(roomName.default("lobby")),
  DEV_ROOM_URL: url(/^wss?$/, "must be a ws:// or wss:// URL"),
  DEV_ROOM_PORT: unset(z.coerce.number().int().min(1).max(65_535).default(7707)),
  DEV_ROOM_SECRET: optional,
});

export type AgentEnv = z.infer<typeof schema>;

export class AgentConfigError extends Error {
  constructor(
    readonly variables: string[],
    message: string,
  ) {
    super(message);
    this.name = "AgentConfigError";
  }
}

export function readAgentEnv(source: Record<string, string | undefined> = process.env): AgentEnv {
  const result = schema.safeParse(source);
  if (result.success) return result.data;
  const variables = [...new Set(result.error.issues.map((issue) => String(issue.path[0])))];
  const details = result.error.issues.map((issue) => `${String(issue.path[0])} ${issue.message}`).join("; ");
  throw new AgentConfigError(variables, `Invalid environment variable(s) for the demo agent: ${details}`);
}

export function agentRooms(env: AgentEnv): string[] {
  return env.AGENT_ROOMS ?? [env.MESHAGENT_DEFAULT_ROOM];
}

/** Same rule as the app: any MeshAgent credential means "not the local dev room". */
export function usesMeshAgentCredentials(env: AgentEnv): boolean {
  return Boolean(env.MESHAGENT_API_KEY || env.MESHAGENT_SECRET || env.MESHAGENT_PROJECT_ID || env.MESHAGENT_KEY_ID);
}
