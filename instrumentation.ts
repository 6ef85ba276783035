/** Runs once when the server starts: report missing or invalid configuration by variable name. */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { configurationProblems } = await import("@/lib/config-check");
  for (const problem of configurationProblems()) console.error(`[meshagent-next-starter] ${problem}`);
}
