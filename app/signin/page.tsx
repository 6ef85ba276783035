import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { signInWith } from "@/app/signin/actions";
import { Button } from "@/components/ui/button";
import { Alert } from "@/components/ui/alert";
import { Card } from "@/components/ui/card";
import { Input } from "@/components/ui/input";
import { currentUser } from "@/lib/auth/current-user";
import {
  authConfigProblems,
  DEV_LOGIN_PROVIDER_ID,
  GITHUB_PROVIDER_ID,
  isDevLoginEnabled,
  isGitHubEnabled,
  isMeshAgentEnabled,
  MESHAGENT_PROVIDER_ID,
} from "@/lib/auth/policy";
import { SIGN_IN_FAILURE_MESSAGES } from "@/lib/auth/sign-in-failure";
import { safeCallbackPath } from "@/lib/shared/safe-callback";
import { serverEnv } from "@/lib/server/env";
import { DISPLAY_NAME_ERRORS, DISPLAY_NAME_MAX_LENGTH, DISPLAY_NAME_MAX_UNITS } from "@/lib/shared/display-name";
import { encodeForLocation } from "@/lib/shared/sign-in-url";

export const metadata: Metadata = { title: "Sign in" };

const ERROR_MESSAGES: Record<string, string> = {
  CredentialsSignin: `Enter a display name (1–${DISPLAY_NAME_MAX_LENGTH} characters) to sign in.`,
  AccessDenied: "Sign-in was refused.",
  Configuration: "Sign-in is not configured correctly on this server. Check the server logs.",
  RateLimited: "Too many sign-in attempts from here. Wait a minute and try again.",
  ...SIGN_IN_FAILURE_MESSAGES,
  ...Object.fromEntries(Object.entries(DISPLAY_NAME_ERRORS).map(([reason, message]) => [`name_${reason}`, message])),
};

export default async function SignInPage({
  searchParams,
}: {
  searchParams: Promise<{ callbackUrl?: string | string[]; error?: string | string[] }>;
}) {
  const params = await searchParams;
  const callbackUrl = safeCallbackPath(params.callbackUrl);
  // Encoded: a line break or "é" in a Location header would turn the redirect into a 500.
  if (await currentUser()) redirect(encodeForLocation(callbackUrl));

  const { env, problems: invalid } = serverEnv();
  const github = isGitHubEnabled(env);
  const meshagent = isMeshAgentEnabled(env);
  const devLogin = isDevLoginEnabled(env);
  const missing = authConfigProblems(env);
  const errorCode = typeof params.error === "string" ? params.error : null;
  const error = errorCode ? (ERROR_MESSAGES[errorCode] ?? "Could not sign you in. Try again.") : null;

  return (
    <div className="mx-auto max-w-sm space-y-4">
      <h1 className="text-2xl font-semibold tracking-tight">Sign in</h1>

      {missing.length > 0 ? (
        <Alert tone="error" role="alert">
          Sign-in is not configured. Missing environment variable(s): <code>{missing.join(", ")}</code>.
        </Alert>
      ) : null}

      {invalid.length > 0 ? (
        <Alert tone="error" role="alert" data-testid="config-notice">
          This server has invalid settings, so some features are off until they are fixed:{" "}
          <code>{invalid.map((problem) => problem.variable).join(", ")}</code>. The server log says what is wrong.
        </Alert>
      ) : null}

      {devLogin && env.NODE_ENV === "production" ? (
        <Alert tone="warning" data-testid="dev-login-notice">
          Dev sign-in enabled: anyone can sign in with any name. Unset <code>AUTH_DEV_LOGIN</code> before real users
          arrive.
        </Alert>
      ) : null}

      {error ? (
        <p role="alert" className="text-sm text-red-700 dark:text-red-300">
          {error}
        </p>
      ) : null}

      {meshagent ? (
        <Card className="p-4">
          <form action={signInWith}>
            <input type="hidden" name="provider" value={MESHAGENT_PROVIDER_ID} />
            <input type="hidden" name="callbackUrl" value={callbackUrl} />
            <Button type="submit" className="w-full">
              Sign in with MeshAgent
            </Button>
          </form>
        </Card>
      ) : null}

      {github ? (
        <Card className="p-4">
          <form action={signInWith}>
            <input type="hidden" name="provider" value={GITHUB_PROVIDER_ID} />
            <input type="hidden" name="callbackUrl" value={callbackUrl} />
            <Button type="submit" className="w-full">
              Continue with GitHub
            </Button>
          </form>
        </Card>
      ) : null}

      {devLogin ? (
        <Card className="p-4">
          <form action={signInWith} className="space-y-3">
            <input type="hidden" name="provider" value={DEV_LOGIN_PROVIDER_ID} />
            <input type="hidden" name="callbackUrl" value={callbackUrl} />
            <div className="space-y-1">
              <label htmlFor="dev-name" className="text-sm font-medium">
                Display name
              </label>
              <Input
                id="dev-name"
                name="name"
                required
                maxLength={DISPLAY_NAME_MAX_UNITS}
                autoComplete="nickname"
                placeholder="Ada"
              />
              <p className="text-xs text-zinc-700 dark:text-zinc-300">
                Dev sign-in: no password, for local development and tests.
              </p>
            </div>
            <Button type="submit" variant="secondary" className="w-full">
              Sign in with a name
            </Button>
          </form>
        </Card>
      ) : null}
    </div>
  );
}
