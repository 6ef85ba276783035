"use server";

import { AuthError } from "next-auth";
import { redirect } from "next/navigation";
import { signIn } from "@/auth";
import { DEV_LOGIN_PROVIDER_ID } from "@/lib/dev-login";
import { signInActionLimit } from "@/lib/rate-limit/sign-in";
import { safeCallbackPath } from "@/lib/safe-callback";

function signInPage(callbackUrl: string, error: string): string {
  return `/signin?${new URLSearchParams({ callbackUrl, error })}`;
}

export async function devSignIn(formData: FormData): Promise<void> {
  const callbackUrl = safeCallbackPath(formData.get("callbackUrl"));
  const limited = await signInActionLimit(formData.get("name"));
  if (limited) redirect(signInPage(callbackUrl, limited));
  try {
    await signIn(DEV_LOGIN_PROVIDER_ID, { name: formData.get("name") ?? "", redirectTo: callbackUrl });
  } catch (error) {
    // signIn() redirects by throwing; only Auth.js errors mean "not signed in".
    if (error instanceof AuthError) redirect(signInPage(callbackUrl, error.type));
    throw error;
  }
}

export async function githubSignIn(formData: FormData): Promise<void> {
  const callbackUrl = safeCallbackPath(formData.get("callbackUrl"));
  const limited = await signInActionLimit(null);
  if (limited) redirect(signInPage(callbackUrl, limited));
  try {
    await signIn("github", { redirectTo: callbackUrl });
  } catch (error) {
    if (error instanceof AuthError) redirect(signInPage(callbackUrl, error.type));
    throw error;
  }
}
