// What the demo agent takes from the environment, through the one reader
// (lib/env.ts: every variable's schema, default and meaning is there):
//   AGENT_NAME, AGENT_ROOMS, AGENT_REPLY_TIMEOUT_SECONDS, DEV_AGENT,
//   OPENAI_API_KEY, OPENAI_BASE_URL, OPENAI_MODEL, AGENT_MODEL_STREAMING,
//   MeshAgent: MESHAGENT_API_KEY | MESHAGENT_SECRET (+ MESHAGENT_PROJECT_ID, MESHAGENT_KEY_ID),
//              MESHAGENT_API_URL, MESHAGENT_DEFAULT_ROOM
//   Local room (no MeshAgent credentials): DEV_ROOM_URL, DEV_ROOM_PORT, DEV_ROOM_SECRET

import { AGENT_ONLY, hasMeshAgentCredentials, readEnv, type Env, type EnvName } from "../lib/env";

export type AgentEnv = Env;

const MESHAGENT: readonly EnvName[] = [
  "MESHAGENT_API_KEY",
  "MESHAGENT_SECRET",
  "MESHAGENT_PROJECT_ID",
  "MESHAGENT_KEY_ID",
  "MESHAGENT_API_URL",
  "MESHAGENT_DEFAULT_ROOM",
];
const LOCAL_ROOM: readonly EnvName[] = ["DEV_ROOM_URL", "DEV_ROOM_PORT", "DEV_ROOM_SECRET"];

export class AgentConfigError extends Error {
  constructor(
    readonly variables: string[],
    message: string,
  ) {
    super(message);
    this.name = "AgentConfigError";
  }
}

/** The environment, or an AgentConfigError naming every invalid variable the agent uses. */
export function readAgentEnv(source: Record<string, string | undefined> = process.env): AgentEnv {
  // Talking to the local room is development whatever NODE_ENV says (as for the dev:room CLI), so its variables count.
  const read = readEnv({ ...source, NODE_ENV: "development" });
  const names = [...AGENT_ONLY, ...MESHAGENT, ...(hasMeshAgentCredentials(read) ? [] : LOCAL_ROOM)];
  const problems = read.problems.filter((problem) => names.includes(problem.variable));
  if (problems.length === 0) return read.env;
  throw new AgentConfigError(
    problems.map((problem) => problem.variable),
    `Invalid environment variable(s) for the demo agent: ${problems.map((problem) => problem.message).join("; ")}`,
  );
}

export function agentRooms(env: AgentEnv): string[] {
  return env.AGENT_ROOMS ?? [env.MESHAGENT_DEFAULT_ROOM];
}

/** Same rule as the app: any MeshAgent credential means "not the local dev room". */
export function usesMeshAgentCredentials(env: AgentEnv): boolean {
  return hasMeshAgentCredentials({ env, problems: [] });
}
