import { describe, expect, it } from "vitest";
import { classifySignInFailure } from "@/lib/auth/sign-in-failure";

/** Auth.js wraps the original error in `cause.err`; production bundles minify class names, so none are relied on. */
const wrapped = (err: object) => ({ type: "CallbackRouteError", name: "a", cause: { err, provider: "meshagent" } });

describe("classifySignInFailure", () => {
  it.each([
    [
      { name: "b", code: "OAUTH_INVALID_RESPONSE", message: 'unexpected "state" response parameter value' },
      "MeshAgentCheck",
    ],
    [{ name: "b", error: "invalid_grant", status: 400 }, "MeshAgentCodeRefused"],
    [{ name: "b", error: "invalid_client", status: 401 }, "MeshAgentClient"],
    [{ name: "b", message: "unexpected HTTP status code", cause: { status: 503 } }, "MeshAgentUnavailable"],
    [{ name: "MeshAgentTimeoutError" }, "MeshAgentTimeout"],
    [{ name: "MeshAgentProfileError", problem: "id" }, "MeshAgentProfile"],
    [{ name: "MeshAgentProfileError", problem: "markup" }, "MeshAgentProfileMarkup"],
    [{ name: "MeshAgentResponseTooLargeError" }, "MeshAgentProfileTooLarge"],
  ])("%j -> %s", (error, expected) => {
    expect(classifySignInFailure(wrapped(error))).toBe(expected);
  });

  it("Auth.js's own failed checks, and nothing for errors that are not a sign-in's", () => {
    expect(classifySignInFailure({ type: "InvalidCheck", name: "c" })).toBe("MeshAgentCheck");
    expect(classifySignInFailure(new Error("something else"))).toBeNull();
    expect(classifySignInFailure({ type: "OAuthCallbackError", cause: { error: "access_denied" } })).toBeNull();
  });
});
