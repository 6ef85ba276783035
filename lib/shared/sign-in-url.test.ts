import { describe, expect, it } from "vitest";
import { encodeForLocation, signInUrl } from "@/lib/shared/sign-in-url";

describe("signInUrl", () => {
  it("carries the path back, encoded, and an optional error", () => {
    expect(signInUrl("/rooms/lobby")).toBe("/signin?callbackUrl=%2Frooms%2Flobby");
    expect(signInUrl("/rooms/a?x=1&y=2", { error: "CredentialsSignin" })).toBe(
      "/signin?callbackUrl=%2Frooms%2Fa%3Fx%3D1%26y%3D2&error=CredentialsSignin",
    );
    const url = new URL(signInUrl("/rooms/é\n"), "http://localhost");
    // Only a same-origin path survives, encoded for a Location header.
    expect(url.searchParams.get("callbackUrl")).toBe("/rooms/%C3%A9");
  });
});

describe("encodeForLocation", () => {
  it("leaves legal paths alone", () => {
    expect(encodeForLocation("/rooms/lobby?x=%2F#top")).toBe("/rooms/lobby?x=%2F#top");
  });

  it.each([
    ["/\nx", "/%0Ax"],
    ["/a\tb c", "/a%09b%20c"],
    ["/rooms/é", "/rooms/%C3%A9"],
    ["/👋", "/%F0%9F%91%8B"],
    ["/\uD800", "/%EF%BF%BD"],
  ])("encodes %j so a Headers object accepts it", (input, expected) => {
    expect(encodeForLocation(input)).toBe(expected);
    expect(() => new Headers({ Location: encodeForLocation(input) })).not.toThrow();
  });
});
