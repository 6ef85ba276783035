"use server";

import { AuthError } from "next-auth";
import { redirect } from "next/navigation";
import { signIn } from "@/auth";
import { DEV_LOGIN_PROVIDER_ID, isProviderEnabled } from "@/lib/auth/policy";
import { signInActionLimit } from "@/lib/rate-limit/sign-in";
import { safeCallbackPath } from "@/lib/shared/safe-callback";
import { serverEnv } from "@/lib/server/env";
import { parseDisplayName } from "@/lib/shared/display-name";
import { encodeForLocation, signInUrl } from "@/lib/shared/sign-in-url";

/** Both sign-in forms post here; `provider` says which one. */
export async function signInWith(formData: FormData): Promise<void> {
  const callbackUrl = safeCallbackPath(formData.get("callbackUrl"));
  const provider = String(formData.get("provider") ?? "");
  if (!isProviderEnabled(serverEnv().env, provider)) redirect(signInUrl(callbackUrl, { error: "AccessDenied" }));
  const limited = await signInActionLimit(provider === DEV_LOGIN_PROVIDER_ID ? formData.get("name") : null);
  if (limited) redirect(signInUrl(callbackUrl, { error: limited }));

  const options: Record<string, string> = { redirectTo: encodeForLocation(callbackUrl) };
  if (provider === DEV_LOGIN_PROVIDER_ID) {
    // Checked here as well as in the provider, so the page can say what is wrong with the name.
    const name = parseDisplayName(formData.get("name"));
    if (!name.ok) redirect(signInUrl(callbackUrl, { error: `name_${name.reason}` }));
    options.name = name.name;
  }
  try {
    await signIn(provider, options);
  } catch (error) {
    // signIn() redirects by throwing; only Auth.js errors mean "not signed in".
    if (error instanceof AuthError) redirect(signInUrl(callbackUrl, { error: error.type }));
    throw error;
  }
}
