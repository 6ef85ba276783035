import "server-only";
import { safeCallbackPath } from "@/lib/shared/safe-callback";
import type { NextAuthConfig } from "next-auth";
import type { Provider } from "next-auth/providers";
import Credentials from "next-auth/providers/credentials";
import GitHub from "next-auth/providers/github";
import { MeshAgent } from "@/lib/auth/meshagent/provider";
import { keepMeshAgentSessionFresh, meshAgentSignIn } from "@/lib/auth/meshagent/session-token";
import {
  DEV_LOGIN_PROVIDER_ID,
  MESHAGENT_PROVIDER_ID,
  devUserId,
  isDevLoginEnabled,
  isGitHubEnabled,
  isMeshAgentEnabled,
} from "@/lib/auth/policy";
import { recordSignInFailure } from "@/lib/auth/sign-in-failure";
import { decodeSession, encodeSession } from "@/lib/auth/session-jwt";
import { userFromToken } from "@/lib/auth/session-user";
import { trustsProxy, type Env } from "@/lib/env";
import { parseDisplayName } from "@/lib/shared/display-name";

function providers(env: Env): Provider[] {
  const list: Provider[] = [];
  // Auth.js reads AUTH_GITHUB_ID / AUTH_GITHUB_SECRET itself.
  if (isGitHubEnabled(env)) list.push(GitHub);
  if (isMeshAgentEnabled(env)) list.push(MeshAgent(env));
  if (isDevLoginEnabled(env)) {
    list.push(
      Credentials({
        id: DEV_LOGIN_PROVIDER_ID,
        name: "Dev sign-in",
        credentials: { name: { label: "Display name", type: "text" } },
        authorize(credentials) {
          const parsed = parseDisplayName(credentials?.name);
          if (!parsed.ok) return null;
          return { id: devUserId(parsed.name), name: parsed.name };
        },
      }),
    );
  }
  return list;
}

/**
 * Auth.js config. Sessions are JWTs in a cookie: no database needed. Built
 * from the environment when the server starts; an invalid variable never
 * throws here (it is reported by name instead, see lib/env.ts).
 */
export function authConfig(env: Env): NextAuthConfig {
  return {
    providers: providers(env),
    session: { strategy: "jwt" },
    // Auth.js's cookie format with A256GCM, which every route that reads the session decrypts in one call (lib/auth/session-jwt.ts).
    jwt: { encode: encodeSession, decode: decodeSession },
    // The one forwarded-headers rule (lib/env.ts): TRUST_PROXY=true also lets Auth.js take the origin from them.
    // With AUTH_URL the origin comes from it, never from the request's headers, so trusting is safe then; an
    // explicit `false` here would otherwise refuse every request of a deployment that set only AUTH_URL.
    trustHost: trustsProxy(env) || Boolean(env.AUTH_URL),
    // Failed sign-ins land on the sign-in page too, which explains each error code (lib/auth/sign-in-failure.ts).
    pages: { signIn: "/signin", error: "/signin" },
    // `npm run dev` provides a generated secret; production must set AUTH_SECRET.
    secret: env.AUTH_SECRET,
    logger: {
      // A refused dev sign-in is an expected outcome shown on the page, not a server error with a stack.
      error(error) {
        const failure = recordSignInFailure(error);
        if (failure) return console.warn(`[auth] ${failure}`);
        const type = "type" in error ? String(error.type) : error.name;
        if (type === "CredentialsSignin") return;
        console.error(`[auth][error] ${type}: ${error.message}`);
      },
    },
    callbacks: {
      // Every redirect Auth.js makes (callbackUrl of sign-in, sign-out, OAuth) goes through the one same-origin check.
      redirect: ({ url, baseUrl }) => new URL(safeCallbackPath(url, "/", baseUrl), baseUrl).href,
      jwt({ token, account, user }) {
        if (account?.provider === MESHAGENT_PROVIDER_ID) return meshAgentSignIn(token, account, user);
        return keepMeshAgentSessionFresh(env, token);
      },
      // Only who is signed in (and why a session ended): never the MeshAgent tokens in the cookie.
      session({ session, token }) {
        const ended = typeof token.signedOut === "string" ? { error: token.signedOut } : {};
        return { expires: session.expires, user: userFromToken(token) ?? undefined, ...ended };
      },
    },
  };
}
