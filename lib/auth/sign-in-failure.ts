import "server-only";
import { AsyncLocalStorage } from "node:async_hooks";
import { SESSION_EXPIRED } from "@/lib/auth/meshagent/session-token";

/**
 * Auth.js reports every failed OAuth callback that is not one of its few
 * "client-safe" errors as `?error=Configuration`: a state mismatch, a refused
 * code and a hanging token endpoint would all read "the server is
 * misconfigured". Auth.js logs the real error first (its logger), within the
 * same request, so the route wrapper remembers what was logged and puts a
 * precise code on the redirect instead. The sign-in page explains each code.
 */
export const SIGN_IN_FAILURE_MESSAGES = {
  MeshAgentCheck:
    "This sign-in could not be verified: it was started in another tab or browser, or took too long. Start again.",
  MeshAgentCodeRefused:
    "MeshAgent did not accept this sign-in: its code was already used, expired or did not match. Start again.",
  MeshAgentClient:
    "MeshAgent did not accept this site's OAuth client. The site's AUTH_MESHAGENT_ID and AUTH_MESHAGENT_SECRET need fixing.",
  MeshAgentUnavailable: "MeshAgent's sign-in service is not working right now. Try again in a few minutes.",
  MeshAgentTimeout: "MeshAgent did not answer in time, so you were not signed in. Try again.",
  MeshAgentProfile: "MeshAgent sent a profile without an account id, so you were not signed in.",
  MeshAgentProfileMarkup:
    "Your MeshAgent name contains markup (such as <b>), so you were not signed in. Change your name in MeshAgent and sign in again.",
  MeshAgentProfileTooLarge: "MeshAgent sent a profile too large to use, so you were not signed in.",
  OAuthCallbackError: "MeshAgent did not complete the sign-in: it was cancelled or refused. Try again.",
  [SESSION_EXPIRED]: "Your MeshAgent sign-in expired and could not be renewed. Sign in again.",
} as const;

type SignInFailure = Exclude<keyof typeof SIGN_IN_FAILURE_MESSAGES, "OAuthCallbackError" | typeof SESSION_EXPIRED>;

interface ErrorLike {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  type?: unknown;
  error?: unknown;
  status?: unknown;
  cause?: unknown;
  problem?: unknown;
}

/** The error and everything it wraps (Auth.js puts the original in `cause.err`, oauth4webapi a Response in `cause`). */
function chain(error: unknown): ErrorLike[] {
  const seen: ErrorLike[] = [];
  let current: unknown = error;
  while (typeof current === "object" && current !== null && seen.length < 8 && !seen.includes(current)) {
    seen.push(current as ErrorLike);
    const cause = (current as ErrorLike).cause;
    current = typeof cause === "object" && cause !== null && "err" in cause ? (cause as { err: unknown }).err : cause;
  }
  return seen;
}

function statusOf(links: ErrorLike[]): number | null {
  for (const link of links) {
    if (typeof link.status === "number") return link.status;
  }
  return null;
}

export function classifySignInFailure(error: unknown): SignInFailure | null {
  const links = chain(error);
  const names = links.map((link) => link.name);
  if (names.includes("MeshAgentTimeoutError")) return "MeshAgentTimeout";
  if (names.includes("MeshAgentResponseTooLargeError")) return "MeshAgentProfileTooLarge";
  const profileError = links.find((link) => link.name === "MeshAgentProfileError");
  if (profileError) return profileError.problem === "markup" ? "MeshAgentProfileMarkup" : "MeshAgentProfile";
  // Auth.js's own checks (state or PKCE cookie missing or unreadable), and oauth4webapi's state comparison.
  if (links.some((link) => link.type === "InvalidCheck")) return "MeshAgentCheck";
  // Matched by oauth4webapi's error code and message: class names are minified in production bundles.
  if (links.some((link) => link.code === "OAUTH_INVALID_RESPONSE" && /"state"/.test(String(link.message)))) {
    return "MeshAgentCheck";
  }
  const oauthError = links.find((link) => typeof link.error === "string")?.error;
  if (oauthError === "invalid_client" || oauthError === "unauthorized_client") return "MeshAgentClient";
  if (oauthError === "invalid_grant") return "MeshAgentCodeRefused";
  const status = statusOf(links);
  if (status === 401) return "MeshAgentClient";
  if (status !== null && status >= 500) return "MeshAgentUnavailable";
  if (status !== null && status >= 400) return "MeshAgentCodeRefused";
  // fetch's own failure (refused connection, DNS): MeshAgent cannot be reached.
  if (names.includes("TypeError") && links.some((link) => String(link.cause ?? "").length > 0)) {
    return "MeshAgentUnavailable";
  }
  return null;
}

const failures = new AsyncLocalStorage<{ failure: SignInFailure | null }>();

/**
 * Called by Auth.js's logger: remembers the first classifiable failure of the
 * request being handled. Returns a log line for it (the innermost message says
 * more than Auth.js's wrapper), or null when it is not one of ours.
 */
export function recordSignInFailure(error: unknown): string | null {
  const failure = classifySignInFailure(error);
  if (!failure) return null;
  const store = failures.getStore();
  if (store && !store.failure) store.failure = failure;
  const innermost = chain(error).findLast((link) => typeof link.message === "string" && link.message);
  return `sign-in failed (${failure}): ${String(innermost?.message ?? "")}`;
}

/** Runs an Auth.js route handler; a redirect that carries `error=` gets the precise code, if one was recorded. */
export async function withPreciseSignInErrors(handle: () => Promise<Response>): Promise<Response> {
  const store = { failure: null as SignInFailure | null };
  const response = await failures.run(store, handle);
  const location = response.headers.get("location");
  if (!store.failure || !location) return response;
  const url = new URL(location);
  if (!url.searchParams.has("error")) return response;
  url.searchParams.set("error", store.failure);
  const headers = new Headers(response.headers);
  headers.set("location", url.href);
  return new Response(response.body, { status: response.status, headers });
}
