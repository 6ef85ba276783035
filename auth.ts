import NextAuth, { type NextAuthConfig } from "next-auth";
import type { Provider } from "next-auth/providers";
import Credentials from "next-auth/providers/credentials";
import GitHub from "next-auth/providers/github";
import { DEV_LOGIN_PROVIDER_ID, devUserId, displayNameSchema } from "@/lib/dev-login";
import { isDevLoginEnabled, isGitHubEnabled, readAuthEnv } from "@/lib/env";
import { safeCallbackPath } from "@/lib/safe-callback";

function providers(): Provider[] {
  const env = readAuthEnv();
  const list: Provider[] = [];

  // Auth.js reads AUTH_GITHUB_ID / AUTH_GITHUB_SECRET itself.
  if (isGitHubEnabled(env)) list.push(GitHub);

  if (isDevLoginEnabled(env)) {
    list.push(
      Credentials({
        id: DEV_LOGIN_PROVIDER_ID,
        name: "Dev sign-in",
        credentials: { name: { label: "Display name", type: "text" } },
        authorize(credentials) {
          const name = displayNameSchema.safeParse(credentials?.name);
          if (!name.success) return null;
          return { id: devUserId(name.data), name: name.data };
        },
      }),
    );
  }
  return list;
}

/**
 * Auth.js config. Sessions are JWTs in a cookie: no database needed. The
 * providers are read from the environment when the server starts (never at
 * build time: nothing here is baked into the build output).
 */
const config: NextAuthConfig = {
  providers: providers(),
  session: { strategy: "jwt" },
  pages: { signIn: "/signin" },
  // `npm run dev` provides a generated secret; production must set AUTH_SECRET.
  secret: process.env.AUTH_SECRET || undefined,
  logger: {
    // A refused dev sign-in is an expected outcome shown on the page, not a server error with a stack.
    error(error) {
      const type = "type" in error ? String(error.type) : error.name;
      if (type === "CredentialsSignin") return;
      console.error(`[auth][error] ${type}: ${error.message}`);
    },
  },
  callbacks: {
    // Every redirect Auth.js makes (callbackUrl of sign-in, sign-out, OAuth) goes through the one same-origin check.
    redirect: ({ url, baseUrl }) => new URL(safeCallbackPath(url, "/", baseUrl), baseUrl).href,
    session({ session, token }) {
      if (token.sub) session.user.id = token.sub;
      return session;
    },
  },
};

export const { handlers, auth, signIn, signOut } = NextAuth(config);
