/**
 * `next dev` compiles a page on its first request: on a fresh clone the first
 * visit to a room waited ~13 s for the room page and the SDK chunk. Once the
 * dev server listens, this requests what a first visit needs (home, sign-in,
 * the default room and the scripts it loads) in the background, so the
 * compiling happens while the developer is still switching to the browser.
 *
 * The room page and its credentials route are behind sign-in (proxy.ts redirects before the route is
 * compiled), so the room request carries a session cookie for a "warm-up"
 * user, signed with the same AUTH_SECRET `npm run dev` hands to next dev. It
 * never leaves this process; the responses are discarded.
 */

import net from "node:net";
import { encode } from "next-auth/jwt";

const SESSION_COOKIE = "authjs.session-token";
const LISTEN_TIMEOUT_MS = 120_000;
/** Lazy chunks are found inside the page's scripts; this bounds the crawl. */
const MAX_SCRIPTS = 200;

export interface WarmUpOptions {
  /** The arguments given to `next dev` (for --port/-p and --hostname/-H). */
  args: string[];
  authSecret: string | undefined;
  room: string;
}

function flag(args: string[], names: string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    for (const name of names) {
      if (args[i] === name) return args[i + 1];
      if (args[i].startsWith(`${name}=`)) return args[i].slice(name.length + 1);
    }
  }
  return undefined;
}

function accepts(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

async function get(url: string, cookie?: string): Promise<string> {
  const response = await fetch(url, {
    headers: cookie ? { cookie } : {},
    redirect: "manual",
    signal: AbortSignal.timeout(120_000),
  });
  return response.text();
}

/**
 * Only our app gets the cookie (if the port belonged to another server, next
 * dev failed or moved): signed out, our proxy.ts sends a room visit to
 * sign-in with the room as callbackUrl.
 */
async function isThisApp(base: string, roomPath: string): Promise<boolean> {
  try {
    const response = await fetch(`${base}${roomPath}`, { redirect: "manual", signal: AbortSignal.timeout(120_000) });
    await response.arrayBuffer();
    const location = response.headers.get("location") ?? "";
    return location.includes(`/signin?callbackUrl=${encodeURIComponent(roomPath)}`);
  } catch {
    return false;
  }
}

/** Script URLs in a page, and chunk paths inside scripts (lazy chunks are only named there). */
function scriptUrls(base: string, text: string): string[] {
  const found = new Set<string>();
  for (const match of text.matchAll(/<script[^>]+src="([^"]+)"/g)) found.add(new URL(match[1], base).href);
  for (const match of text.matchAll(/["'](?:\/_next\/)?(static\/chunks\/[^"'\s]+?\.js)["']/g))
    found.add(new URL(`/_next/${match[1]}`, base).href);
  return [...found];
}

async function crawlScripts(base: string, html: string): Promise<number> {
  const seen = new Set<string>();
  let queue = scriptUrls(base, html);
  while (queue.length > 0 && seen.size < MAX_SCRIPTS) {
    const batch = queue.filter((url) => !seen.has(url)).slice(0, MAX_SCRIPTS - seen.size);
    for (const url of batch) seen.add(url);
    const bodies = await Promise.all(batch.map((url) => get(url).catch(() => "")));
    queue = bodies.flatMap((body) => scriptUrls(base, body));
  }
  return seen.size;
}

/**
 * Warms in the background; never rejects, never delays `npm run dev`.
 * Resolves with whether it warmed (for tests; dev.ts does not wait).
 */
export function warmUpDevServer({ args, authSecret, room }: WarmUpOptions): Promise<boolean> {
  if (process.env.DEV_WARM_UP === "false" || args.includes("--help") || args.includes("-h"))
    return Promise.resolve(false);
  if (args.some((arg) => arg.startsWith("--experimental-https"))) return Promise.resolve(false);
  const port = Number(flag(args, ["--port", "-p"]) ?? process.env.PORT ?? 3000);
  const hostFlag = flag(args, ["--hostname", "-H"]);
  const host = !hostFlag || hostFlag === "0.0.0.0" || hostFlag === "::" ? "127.0.0.1" : hostFlag;
  if (!Number.isInteger(port) || port <= 0) return Promise.resolve(false);
  const started = Date.now();

  return (async () => {
    while (!(await accepts(host, port))) {
      if (Date.now() - started > LISTEN_TIMEOUT_MS) return false;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const base = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
    const roomPath = `/rooms/${encodeURIComponent(room)}`;
    if (!(await isThisApp(base, roomPath))) return false;
    const cookie = authSecret
      ? `${SESSION_COOKIE}=${await encode({ token: { name: "warm-up", sub: "warm-up" }, secret: authSecret, salt: SESSION_COOKIE })}`
      : undefined;
    // All at once: Turbopack shares the common work, and the room page (the slowest) starts first.
    const [roomHtml, homeHtml, signInHtml] = await Promise.all([
      get(`${base}${roomPath}`, cookie),
      get(`${base}/`, cookie),
      get(`${base}/signin`),
      // The room's first credentials request compiles the route too.
      get(`${base}/api/room-connection?room=${encodeURIComponent(room)}`, cookie),
    ]);
    const scripts = await crawlScripts(base, roomHtml + homeHtml + signInHtml);
    console.log(
      ` ✓ Warmed up /, /signin and ${roomPath} (${scripts} scripts) in ${((Date.now() - started) / 1000).toFixed(1)}s`,
    );
    return true;
  })().catch((error: unknown) => {
    console.warn(`warm-up skipped: ${error instanceof Error ? error.message : String(error)}`);
    return false;
  });
}
