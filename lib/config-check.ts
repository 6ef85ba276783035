import { authConfigProblems, readAuthEnv, readMeshAgentEnv } from "@/lib/env";
import { ConfigError } from "@/lib/errors";
import { resolveMeshAgentConfig } from "@/lib/meshagent/config";

/**
 * Every configuration problem, as one sentence each naming the variables.
 * Logged when the server starts (instrumentation.ts) so a deployment with a
 * missing variable says so in its logs before the first user hits it.
 */
export function configurationProblems(source: Record<string, string | undefined> = process.env): string[] {
  const problems: string[] = [];
  const collect = (check: () => void) => {
    try {
      check();
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      problems.push(error.message);
    }
  };
  collect(() => {
    const missing = authConfigProblems(readAuthEnv(source));
    if (missing.length > 0)
      throw new ConfigError(missing, `Sign-in: missing environment variable(s): ${missing.join(", ")}`);
  });
  collect(() => {
    const env = readMeshAgentEnv(source);
    if (env.MESHAGENT_ROOMS && !env.MESHAGENT_ROOMS.includes(env.MESHAGENT_DEFAULT_ROOM)) {
      problems.push(
        `MESHAGENT_DEFAULT_ROOM "${env.MESHAGENT_DEFAULT_ROOM}" is not in MESHAGENT_ROOMS: the home page's default room will refuse everyone.`,
      );
    }
    resolveMeshAgentConfig(env);
  });
  return problems;
}
