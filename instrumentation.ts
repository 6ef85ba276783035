/** Runs once when the server starts: report missing or invalid configuration by variable name. */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  // Before any request: the rate limiter's timers must be made in a scope that belongs to none.
  const { prepareDetachedScope } = await import("@/lib/rate-limit/detached-scope");
  prepareDetachedScope();
  const { serverEnv } = await import("@/lib/server/env");
  const { describeClientAddress, takeClientAddressFromSocket } = await import("@/lib/server/client-address");
  takeClientAddressFromSocket(serverEnv().env);
  console.log(`[meshagent-next-starter] ${describeClientAddress(serverEnv().env)}`);
  const { configurationProblems } = await import("@/lib/server/config-check");
  for (const problem of configurationProblems(serverEnv())) console.error(`[meshagent-next-starter] ${problem}`);
}
