/** Runs once when the server starts: report missing or invalid configuration by variable name. */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { configurationProblems } = await import("@/lib/server/config-check");
  const { serverEnv } = await import("@/lib/server/env");
  for (const problem of configurationProblems(serverEnv())) console.error(`[meshagent-next-starter] ${problem}`);
}
