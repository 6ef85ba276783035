import "server-only";
import { AGENT_ONLY, ENV_NAMES, readEnv, type EnvName, type ReadEnv } from "@/lib/env";
import { ConfigError } from "@/lib/server/errors";

let cached: { key: string; value: ReadEnv } | null = null;

/**
 * The app server's view of the environment (lib/env.ts), read lazily on first
 * use and again only when a variable changes (tests stub them), so a request
 * does not re-validate every variable. The demo agent's variables are not the
 * app's business: a bad one must not take the app down.
 */
export function serverEnv(): ReadEnv {
  const key = ENV_NAMES.map((name) => process.env[name] ?? "\u0000").join("\u0001");
  if (cached?.key !== key) {
    const { env, problems } = readEnv(process.env);
    cached = { key, value: { env, problems: problems.filter((problem) => !AGENT_ONLY.includes(problem.variable)) } };
  }
  return cached.value;
}

/** Throws a ConfigError (503) naming every invalid variable, or only those in `names`. */
export function assertValidEnv({ problems }: ReadEnv, names?: readonly EnvName[]): void {
  const relevant = names ? problems.filter((problem) => names.includes(problem.variable)) : problems;
  if (relevant.length === 0) return;
  throw new ConfigError(
    relevant.map((problem) => problem.variable),
    `Invalid environment variable(s): ${relevant.map((problem) => problem.message).join("; ")}`,
  );
}
