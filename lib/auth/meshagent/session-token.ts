import "server-only";
import type { Account, User } from "next-auth";
import type { JWT } from "next-auth/jwt";
import { grantFromTokens, isDue, readGrant, refreshGrant, type MeshAgentGrant } from "@/lib/auth/meshagent/grant";
import type { Env } from "@/lib/env";

/** Why a session ended without the person signing out; the sign-in page explains it. */
export const SESSION_EXPIRED = "SessionExpired";

/** The session's user id for a MeshAgent account: stable across sign-ins and apart from other providers' ids. */
const meshAgentUserId = (profileId: string) => `meshagent:${profileId}`;

export function isMeshAgentUser(userId: string): boolean {
  return userId.startsWith("meshagent:");
}

/** The session token right after "Sign in with MeshAgent": who, and the tokens (cookie only). */
export function meshAgentSignIn(token: JWT, account: Account, user: User): JWT {
  const grant = grantFromTokens(account);
  return {
    ...token,
    sub: meshAgentUserId(account.providerAccountId),
    name: user.name ?? token.name,
    meshagent: grant,
  };
}

// One refresh per refresh token at a time in this process: parallel requests of one person share it.
const refreshing = new Map<string, Promise<MeshAgentGrant>>();

function refreshOnce(env: Env, grant: MeshAgentGrant): Promise<MeshAgentGrant> {
  const key = grant.refreshToken ?? grant.accessToken;
  let pending = refreshing.get(key);
  if (!pending) {
    pending = refreshGrant(env, grant).finally(() => refreshing.delete(key));
    refreshing.set(key, pending);
  }
  return pending;
}

/**
 * Every later read of the session (Auth.js's jwt callback): a MeshAgent access
 * token that is about to expire is refreshed; if MeshAgent refuses, the
 * session ends (no user, no tokens) and says why.
 */
export async function keepMeshAgentSessionFresh(env: Env, token: JWT): Promise<JWT> {
  const grant = readGrant(token.meshagent);
  if (!grant || !isDue(grant)) return token;
  try {
    return { ...token, meshagent: await refreshOnce(env, grant) };
  } catch (error) {
    console.warn(`[auth] MeshAgent token refresh failed, signing ${token.sub} out: ${describe(error)}`);
    return { signedOut: SESSION_EXPIRED };
  }
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const oauthError = (error as { error?: unknown }).error;
  return typeof oauthError === "string" ? `${error.message} (${oauthError})` : error.message;
}
