import "server-only";
import { trustsProxy, type Env } from "@/lib/env";

export const DEV_LOGIN_PROVIDER_ID = "dev-login";
export const GITHUB_PROVIDER_ID = "github";
export const MESHAGENT_PROVIDER_ID = "meshagent";
type SignInProviderId = typeof DEV_LOGIN_PROVIDER_ID | typeof GITHUB_PROVIDER_ID | typeof MESHAGENT_PROVIDER_ID;

/**
 * Dev sign-in (a name, no password) is on by default in development and off in
 * production builds unless AUTH_DEV_LOGIN=true is set explicitly. Even then it
 * stays off on a Vercel production deployment, where it can only be a mistake.
 * An invalid AUTH_DEV_LOGIN reads as "false" (lib/env.ts): it fails closed.
 */
export function isDevLoginEnabled(env: Env): boolean {
  if (env.NODE_ENV !== "production") return env.AUTH_DEV_LOGIN !== "false";
  return env.AUTH_DEV_LOGIN === "true" && env.VERCEL_ENV !== "production";
}

export function isGitHubEnabled(env: Env): boolean {
  return Boolean(env.AUTH_GITHUB_ID && env.AUTH_GITHUB_SECRET);
}

export function isMeshAgentEnabled(env: Env): boolean {
  return Boolean(env.AUTH_MESHAGENT_ID && env.AUTH_MESHAGENT_SECRET);
}

export function isProviderEnabled(env: Env, id: string): id is SignInProviderId {
  if (id === DEV_LOGIN_PROVIDER_ID) return isDevLoginEnabled(env);
  if (id === GITHUB_PROVIDER_ID) return isGitHubEnabled(env);
  if (id === MESHAGENT_PROVIDER_ID) return isMeshAgentEnabled(env);
  return false;
}

/** The half of an id/secret pair that is missing, if exactly one is set. */
function missingHalf(id: string | undefined, secret: string | undefined, names: [string, string]): string[] {
  if (Boolean(id) === Boolean(secret)) return [];
  return [id ? names[1] : names[0]];
}

/**
 * What is missing for sign-in to work at all, by variable name. Shown on the
 * sign-in page and logged at start-up, so a half-configured deployment says
 * what to set instead of failing with a generic error.
 */
export function authConfigProblems(env: Env): string[] {
  const problems: string[] = [];
  if (env.NODE_ENV === "production" && !env.AUTH_SECRET) problems.push("AUTH_SECRET");
  if (!knowsPublicOrigin(env)) problems.push("AUTH_URL or AUTH_TRUST_HOST");
  problems.push(...missingHalf(env.AUTH_GITHUB_ID, env.AUTH_GITHUB_SECRET, ["AUTH_GITHUB_ID", "AUTH_GITHUB_SECRET"]));
  problems.push(
    ...missingHalf(env.AUTH_MESHAGENT_ID, env.AUTH_MESHAGENT_SECRET, ["AUTH_MESHAGENT_ID", "AUTH_MESHAGENT_SECRET"]),
  );
  // MeshAgent issues the room tokens for the person signed in with it: nobody else could join a room.
  if (env.MESHAGENT_ROOM_ACCESS === "user" && !isMeshAgentEnabled(env)) {
    problems.push("AUTH_MESHAGENT_ID", "AUTH_MESHAGENT_SECRET");
  }
  if (!isGitHubEnabled(env) && !isDevLoginEnabled(env) && !isMeshAgentEnabled(env)) {
    problems.push("AUTH_GITHUB_ID", "AUTH_GITHUB_SECRET");
  }
  return [...new Set(problems)];
}

/**
 * Whether Auth.js can tell the site's public origin: AUTH_URL names it, or the
 * host headers are trusted (Auth.js's own rule: any AUTH_TRUST_HOST, Vercel,
 * not production; or TRUST_PROXY, which lib/auth/config.ts passes on). Without
 * it every /api/auth request fails with Auth.js's UntrustedHost error.
 */
export function knowsPublicOrigin(env: Env): boolean {
  return Boolean(env.AUTH_URL) || env.AUTH_TRUST_HOST !== undefined || trustsProxy(env);
}

/** Dev users are identified by their name, so the same name is the same user across sign-ins. */
export function devUserId(name: string): string {
  return `dev:${name.toLowerCase()}`;
}
