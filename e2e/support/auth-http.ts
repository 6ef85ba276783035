/** Auth.js over plain HTTP (no browser): CSRF token, dev sign-in, cookies. */

export class CookieJar {
  private readonly cookies = new Map<string, string>();

  store(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(";");
      const index = pair.indexOf("=");
      if (index > 0) this.cookies.set(pair.slice(0, index).trim(), pair.slice(index + 1).trim());
    }
  }

  header(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; ");
  }

  names(): string[] {
    return [...this.cookies.keys()];
  }

  get(name: string): string | undefined {
    return this.cookies.get(name);
  }

  set(name: string, value: string): void {
    this.cookies.set(name, value);
  }
}

export async function csrfToken(base: string, jar: CookieJar, headers: Record<string, string> = {}): Promise<string> {
  const response = await fetch(`${base}/api/auth/csrf`, { headers: { ...headers, cookie: jar.header() } });
  if (!response.ok) throw new Error(`GET /api/auth/csrf: ${response.status}`);
  jar.store(response);
  return ((await response.json()) as { csrfToken: string }).csrfToken;
}

/** POST an Auth.js form (signin/<provider> or callback/<provider>); the response is not followed. */
export async function postAuthForm(
  base: string,
  path: string,
  jar: CookieJar,
  fields: Record<string, string>,
  headers: Record<string, string> = {},
): Promise<Response> {
  const token = await csrfToken(base, jar, headers);
  const response = await fetch(`${base}${path}`, {
    method: "POST",
    redirect: "manual",
    headers: { ...headers, "content-type": "application/x-www-form-urlencoded", cookie: jar.header() },
    body: new URLSearchParams({ ...fields, csrfToken: token }),
  });
  jar.store(response);
  return response;
}

/** Dev sign-in over HTTP; returns the jar holding the session cookie. */
export async function devSignInHttp(
  base: string,
  name: string,
  headers: Record<string, string> = {},
): Promise<CookieJar> {
  const jar = new CookieJar();
  const response = await postAuthForm(base, "/api/auth/callback/dev-login", jar, { name, callbackUrl: "/" }, headers);
  if (response.status !== 302 || !jar.names().some((cookie) => cookie.includes("session-token"))) {
    throw new Error(`dev sign-in as ${name} failed: ${response.status} ${response.headers.get("location")}`);
  }
  return jar;
}
