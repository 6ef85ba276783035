import "server-only";
import type { ReadEnv } from "@/lib/env";
import { authConfigProblems } from "@/lib/auth/policy";
import { ConfigError } from "@/lib/server/errors";
import { resolveMeshAgentConfig, resolveUserRoomProject } from "@/lib/server/meshagent/config";

/**
 * Every configuration problem, as one sentence each naming the variables.
 * Logged when the server starts (instrumentation.ts) so a deployment with a
 * missing or invalid variable says so before the first user hits it.
 */
export function configurationProblems(read: ReadEnv): string[] {
  const { env } = read;
  const problems = read.problems.map((problem) => problem.message);
  const missing = authConfigProblems(env);
  if (missing.length > 0) problems.push(`Sign-in: missing environment variable(s): ${missing.join(", ")}`);
  if (env.MESHAGENT_ROOMS && !env.MESHAGENT_ROOMS.includes(env.MESHAGENT_DEFAULT_ROOM)) {
    problems.push(
      `MESHAGENT_DEFAULT_ROOM "${env.MESHAGENT_DEFAULT_ROOM}" is not in MESHAGENT_ROOMS: the home page's default room will refuse everyone.`,
    );
  }
  // An invalid MeshAgent variable is already named above; resolving would only guess at the rest.
  if (read.problems.some((problem) => problem.variable.startsWith("MESHAGENT_"))) return problems;
  try {
    // In `user` room access MeshAgent issues the tokens: only the project is needed, no secret.
    if (env.MESHAGENT_ROOM_ACCESS === "user") resolveUserRoomProject(read);
    else resolveMeshAgentConfig(read);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    problems.push(error.message);
  }
  return problems;
}
