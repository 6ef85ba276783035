import { expect, test } from "@playwright/test";
import { startApp, BASE_APP_ENV, type AppProcess } from "./support/app-process";
import { CookieJar, postAuthForm } from "./support/auth-http";
import { startReverseProxy, type ReverseProxy } from "./support/reverse-proxy";

/**
 * Self-hosting behind a reverse proxy (issue 12 D10): with AUTH_TRUST_HOST=true
 * and no AUTH_URL, every redirect Auth.js makes and the GitHub `redirect_uri`
 * must use the origin visitors see, not the address `next start` listens on.
 */
const PUBLIC_ORIGIN = "https://public.example:8443";

let app: AppProcess;
let proxy: ReverseProxy;
let hostOnlyProxy: ReverseProxy;

test.beforeAll(async () => {
  test.setTimeout(90_000);
  app = await startApp({
    ...BASE_APP_ENV,
    // Dummy OAuth app: the redirect to GitHub is built locally, nothing is fetched.
    AUTH_GITHUB_ID: "dummy-client-id",
    AUTH_GITHUB_SECRET: "dummy-client-secret",
  });
  proxy = await startReverseProxy({
    upstream: app.url,
    forwarded: { "X-Forwarded-Host": "public.example:8443", "X-Forwarded-Proto": "https" },
  });
  // A proxy that passes the public Host header instead (nginx `proxy_set_header Host $host`).
  hostOnlyProxy = await startReverseProxy({
    upstream: app.url,
    host: "public.example:8443",
    forwarded: { "X-Forwarded-Proto": "https" },
  });
});

test.afterAll(async () => {
  await proxy?.close();
  await hostOnlyProxy?.close();
  await app?.stop();
});

function location(response: Response): URL {
  const value = response.headers.get("location");
  expect(value, `status ${response.status}`).toBeTruthy();
  return new URL(value!, PUBLIC_ORIGIN);
}

test("GitHub sign-in sends the public callback as redirect_uri", async () => {
  for (const front of [proxy, hostOnlyProxy]) {
    const jar = new CookieJar();
    const response = await postAuthForm(front.url, "/api/auth/signin/github", jar, { callbackUrl: "/rooms/lobby" });
    expect(response.status).toBe(302);
    const target = location(response);
    expect(target.origin).toBe("https://github.com");
    expect(target.searchParams.get("redirect_uri")).toBe(`${PUBLIC_ORIGIN}/api/auth/callback/github`);
    expect(target.searchParams.get("client_id")).toBe("dummy-client-id");
  }
});

test("dev sign-in, sign-in page and sign-out redirects stay on the public origin", async () => {
  const jar = new CookieJar();
  const signedIn = await postAuthForm(proxy.url, "/api/auth/callback/dev-login", jar, {
    name: "Proxy Pat",
    callbackUrl: "/rooms/lobby",
  });
  expect(signedIn.status).toBe(302);
  expect(location(signedIn).href).toBe(`${PUBLIC_ORIGIN}/rooms/lobby`);
  // Secure cookies: the app knows it is served over https.
  expect(jar.names().some((name) => name.startsWith("__Secure-") && name.includes("session-token"))).toBe(true);

  const signInPage = await fetch(`${proxy.url}/api/auth/signin`, { redirect: "manual" });
  expect(location(signInPage).origin).toBe(PUBLIC_ORIGIN);
  expect(location(signInPage).pathname).toBe("/signin");

  const signOut = await postAuthForm(proxy.url, "/api/auth/signout", jar, { callbackUrl: "/" });
  expect(signOut.status).toBe(302);
  expect(location(signOut).href).toBe(`${PUBLIC_ORIGIN}/`);

  // An OAuth return with a bad state ends on an error page on the public origin too.
  const callback = await fetch(`${proxy.url}/api/auth/callback/github?code=x&state=y`, { redirect: "manual" });
  expect(callback.status).toBe(302);
  expect(location(callback).origin).toBe(PUBLIC_ORIGIN);
});

test("a signed-out visit to a room is sent to sign-in on the public origin", async () => {
  const response = await fetch(`${proxy.url}/rooms/lobby`, { redirect: "manual" });
  expect(response.status).toBe(307);
  const target = location(response);
  expect(target.origin).toBe(PUBLIC_ORIGIN);
  expect(target.pathname).toBe("/signin");
  expect(target.searchParams.get("callbackUrl")).toBe("/rooms/lobby");
});

test("a callbackUrl to another site is refused by Auth.js' redirect callback", async () => {
  for (const callbackUrl of ["https://evil.example/", "//evil.example/x", "/.//evil.example/x", "/\t/evil.example"]) {
    const jar = new CookieJar();
    const response = await postAuthForm(proxy.url, "/api/auth/callback/dev-login", jar, {
      name: "Proxy Quinn",
      callbackUrl,
    });
    expect(response.status).toBe(302);
    expect(location(response).origin, callbackUrl).toBe(PUBLIC_ORIGIN);
  }
});
