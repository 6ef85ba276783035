import { NextRequest } from "next/server";
import { describe, expect, it } from "vitest";
import { forwardedOrigin, withPublicOrigin } from "@/lib/auth/public-origin";
import { readEnv, trustsProxy } from "@/lib/env";

const env = (source: Record<string, string>) => readEnv(source).env;
const production = env({ NODE_ENV: "production", AUTH_TRUST_HOST: "true" });
const request = (headers: Record<string, string>, init: { method?: string; body?: string } = {}) =>
  new NextRequest("http://localhost:3000/api/auth/signin/github?x=1", { headers, ...init });

describe("forwardedOrigin", () => {
  it.each([
    [{ "x-forwarded-host": "public.example", "x-forwarded-proto": "https" }, "https://public.example"],
    [
      { "x-forwarded-host": "public.example:8443, internal:80", "x-forwarded-proto": "https,http" },
      "https://public.example:8443",
    ],
    [{ host: "public.example:8080" }, "http://public.example:8080"],
    [{ "x-forwarded-host": "public.example/evil", "x-forwarded-proto": "https" }, null],
    [{ "x-forwarded-host": "user@public.example" }, null],
    [{ "x-forwarded-host": "public.example", "x-forwarded-proto": "javascript" }, null],
    [{}, null],
  ])("%j -> %s", (headers, expected) => {
    expect(forwardedOrigin(new Headers(headers), "http")).toBe(expected);
  });
});

describe("withPublicOrigin", () => {
  it("rebuilds the URL on the forwarded origin when host headers are trusted", () => {
    const result = withPublicOrigin(
      request({ "x-forwarded-host": "public.example", "x-forwarded-proto": "https" }),
      production,
    );
    expect(result.url).toBe("https://public.example/api/auth/signin/github?x=1");
    expect(result.headers.get("x-forwarded-host")).toBe("public.example");
  });

  it("keeps a POST body readable", async () => {
    const result = withPublicOrigin(
      request(
        { "x-forwarded-host": "public.example", "content-type": "application/x-www-form-urlencoded" },
        { method: "POST", body: "csrfToken=abc" },
      ),
      production,
    );
    expect(result.method).toBe("POST");
    expect((await result.formData()).get("csrfToken")).toBe("abc");
  });

  it("leaves the request alone when AUTH_URL pins the origin or hosts are not trusted", () => {
    const headers = { "x-forwarded-host": "public.example" };
    expect(withPublicOrigin(request(headers), { ...production, AUTH_URL: "https://site.example" }).url).toMatch(
      /^http:\/\/localhost:3000\//,
    );
    expect(withPublicOrigin(request(headers), env({ NODE_ENV: "production" })).url).toMatch(
      /^http:\/\/localhost:3000\//,
    );
  });

  it("trusts forwarded headers by one rule: TRUST_PROXY, else like Auth.js (AUTH_TRUST_HOST, Vercel, not production)", () => {
    const trusts = (source: Record<string, string>) => trustsProxy(env({ NODE_ENV: "production", ...source }));
    expect(trusts({})).toBe(false);
    expect(trusts({ AUTH_TRUST_HOST: "1" })).toBe(true);
    expect(trusts({ AUTH_TRUST_HOST: "TRUE" })).toBe(true);
    expect(trusts({ AUTH_TRUST_HOST: "false" })).toBe(false);
    expect(trusts({ VERCEL: "1" })).toBe(true);
    expect(trusts({ TRUST_PROXY: "true" })).toBe(true);
    expect(trusts({ TRUST_PROXY: "false", AUTH_TRUST_HOST: "true", VERCEL: "1" })).toBe(false);
    expect(trusts({ TRUST_PROXY: "yes", AUTH_TRUST_HOST: "true" })).toBe(false); // invalid: fails closed
    expect(trustsProxy(env({ NODE_ENV: "development" }))).toBe(true);
  });
});
