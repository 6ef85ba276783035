import "server-only";
import { customFetch } from "next-auth";
import type { OAuthConfig } from "next-auth/providers";
import { MESHAGENT_PROVIDER_ID } from "@/lib/auth/policy";
import { fetchWithTimeout, readBoundedText } from "@/lib/auth/meshagent/http";
import { PROFILE_MAX_BYTES, parseMeshAgentProfile, type MeshAgentProfile } from "@/lib/auth/meshagent/profile";
import type { Env } from "@/lib/env";

/**
 * What the app asks MeshAgent for. Sign-in needs the profile only; when
 * MeshAgent issues the room tokens (MESHAGENT_ROOM_ACCESS=user) the person's
 * token must also list and connect to the project's rooms.
 */
function meshAgentScopes(env: Env): string {
  const scopes = ["profile:read"];
  if (env.MESHAGENT_ROOM_ACCESS === "user") scopes.push("rooms:read", "rooms:connect", "project/*", "room/*");
  return scopes.join(" ");
}

export function meshAgentEndpoints(env: Env) {
  const base = env.MESHAGENT_ACCOUNTS_URL;
  return {
    authorize: `${base}/oauth/authorize`,
    token: `${base}/oauth/token`,
    profile: `${base}/accounts/profiles/me`,
  };
}

/**
 * "Sign in with MeshAgent": plain OAuth 2.0 (MeshAgent publishes no OpenID
 * discovery), authorization code with PKCE S256 and state, both checked by
 * Auth.js itself. The client secret goes in the form body, as MeshAgent's own
 * clients send it. Every call to MeshAgent has a deadline; the profile is read
 * with a size cap and parsed before Auth.js sees it.
 */
export function MeshAgent(env: Env): OAuthConfig<MeshAgentProfile> {
  const endpoints = meshAgentEndpoints(env);
  const fetchMeshAgent = fetchWithTimeout(env.MESHAGENT_ACCOUNTS_TIMEOUT_SECONDS * 1000);
  return {
    id: MESHAGENT_PROVIDER_ID,
    name: "MeshAgent",
    type: "oauth",
    clientId: env.AUTH_MESHAGENT_ID,
    clientSecret: env.AUTH_MESHAGENT_SECRET,
    checks: ["pkce", "state"],
    client: { token_endpoint_auth_method: "client_secret_post" },
    authorization: { url: endpoints.authorize, params: { scope: meshAgentScopes(env) } },
    token: endpoints.token,
    userinfo: {
      url: endpoints.profile,
      async request({ tokens }: { tokens: { access_token?: string } }) {
        const response = await fetchMeshAgent(endpoints.profile, {
          headers: { Authorization: `Bearer ${tokens.access_token ?? ""}`, Accept: "application/json" },
        });
        const text = await readBoundedText(response, PROFILE_MAX_BYTES);
        if (!response.ok) throw new Error(`MeshAgent profile request answered ${response.status}`);
        let body: unknown;
        try {
          body = JSON.parse(text);
        } catch {
          body = null;
        }
        return parseMeshAgentProfile(body);
      },
    },
    profile: (profile) => ({ id: profile.id, name: profile.name, email: profile.email ?? null }),
    [customFetch]: fetchMeshAgent,
  };
}
