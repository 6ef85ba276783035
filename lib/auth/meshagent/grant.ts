import "server-only";
import * as oauth from "oauth4webapi";
import { fetchWithTimeout } from "@/lib/auth/meshagent/http";
import { meshAgentEndpoints } from "@/lib/auth/meshagent/provider";
import type { Env } from "@/lib/env";

/**
 * The person's MeshAgent tokens. They live only inside the encrypted session
 * cookie (the session callback never copies them out), so neither
 * /api/auth/session nor any page sees them.
 */
export interface MeshAgentGrant {
  accessToken: string;
  refreshToken?: string;
  /** Seconds since the epoch; unknown when MeshAgent gave no expires_in. */
  expiresAt?: number;
}

/** Refresh this long before the access token expires, so no request carries one that lapses on the way. */
const REFRESH_MARGIN_SECONDS = 60;

const nowSeconds = () => Math.floor(Date.now() / 1000);

export function grantFromTokens(tokens: {
  access_token?: string;
  refresh_token?: string;
  expires_at?: number;
  expires_in?: number;
}): MeshAgentGrant | null {
  if (!tokens.access_token) return null;
  const expiresAt =
    tokens.expires_at ?? (tokens.expires_in !== undefined ? nowSeconds() + Number(tokens.expires_in) : undefined);
  return {
    accessToken: tokens.access_token,
    ...(tokens.refresh_token ? { refreshToken: tokens.refresh_token } : {}),
    ...(expiresAt !== undefined && Number.isFinite(expiresAt) ? { expiresAt } : {}),
  };
}

/** A grant read back from a session token: anything malformed counts as none. */
export function readGrant(value: unknown): MeshAgentGrant | null {
  if (typeof value !== "object" || value === null) return null;
  const { accessToken, refreshToken, expiresAt } = value as Record<string, unknown>;
  if (typeof accessToken !== "string" || !accessToken) return null;
  return {
    accessToken,
    ...(typeof refreshToken === "string" && refreshToken ? { refreshToken } : {}),
    ...(typeof expiresAt === "number" ? { expiresAt } : {}),
  };
}

export function isDue(grant: MeshAgentGrant, now = nowSeconds()): boolean {
  return grant.expiresAt !== undefined && now >= grant.expiresAt - REFRESH_MARGIN_SECONDS;
}

/**
 * A new access token from MeshAgent's token endpoint (grant_type=refresh_token,
 * client authenticated the same way as at sign-in). MeshAgent may keep the
 * refresh token the same; then the old one is kept. Throws when there is no
 * refresh token or MeshAgent refuses, times out or answers nonsense.
 */
export async function refreshGrant(env: Env, grant: MeshAgentGrant): Promise<MeshAgentGrant> {
  if (!grant.refreshToken) throw new Error("no refresh token");
  const as: oauth.AuthorizationServer = {
    issuer: env.MESHAGENT_ACCOUNTS_URL,
    token_endpoint: meshAgentEndpoints(env).token,
  };
  const client: oauth.Client = { client_id: env.AUTH_MESHAGENT_ID ?? "" };
  const options = {
    [oauth.customFetch]: fetchWithTimeout(env.MESHAGENT_ACCOUNTS_TIMEOUT_SECONDS * 1000),
    // A local stand-in (tests) or a self-hosted accounts API may be plain http; the env check allows only http(s).
    [oauth.allowInsecureRequests]: env.MESHAGENT_ACCOUNTS_URL.startsWith("http:"),
  };
  const response = await oauth.refreshTokenGrantRequest(
    as,
    client,
    oauth.ClientSecretPost(env.AUTH_MESHAGENT_SECRET ?? ""),
    grant.refreshToken,
    options,
  );
  const tokens = await oauth.processRefreshTokenResponse(as, client, response);
  const next = grantFromTokens(tokens);
  if (!next) throw new Error("refresh answered without an access token");
  return { ...next, refreshToken: next.refreshToken ?? grant.refreshToken };
}
