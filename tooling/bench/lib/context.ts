/**
 * What several benchmarks share within one run, started lazily and stopped
 * at the end: the room server, one build + `next start` of the app, one
 * Chromium, one signed-in user.
 */

import { randomBytes } from "node:crypto";
import type { Browser, BrowserContext } from "@playwright/test";
import { buildApp, existingBuild, startApp, type AppServer } from "./app";
import { launchBrowser, signIn, SESSION_COOKIE } from "./browser";
import { closePlainBrowser } from "./plain-page";
import { freePort } from "./ports";
import { stopAll } from "./proc";
import { startRoomServer, type RoomServerProcess } from "./room-server";

export interface ContextOptions {
  /** Reuse the private copy's last build instead of building (BENCH_SKIP_BUILD=1 / --skip-build). */
  skipBuild: boolean;
  log: (line: string) => void;
}

export const BENCH_USER = "Bench User";
/** The room every page benchmark connects to. */
export const BENCH_ROOM = "bench";

export class BenchContext {
  readonly authSecret = randomBytes(32).toString("hex");
  readonly roomSecret = randomBytes(32).toString("hex");
  buildMs: number | null = null;
  private room: Promise<RoomServerProcess> | null = null;
  private appServer: Promise<AppServer> | null = null;
  private browserPromise: Promise<Browser> | null = null;
  private session: Promise<{
    cookie: string;
    storageState: Awaited<ReturnType<BrowserContext["storageState"]>>;
  }> | null = null;

  constructor(readonly options: ContextOptions) {}

  log(line: string): void {
    this.options.log(line);
  }

  roomServer(): Promise<RoomServerProcess> {
    this.room ??= startRoomServer(this.roomSecret);
    return this.room;
  }

  app(): Promise<AppServer> {
    this.appServer ??= (async () => {
      let dir: string;
      if (this.options.skipBuild) {
        const existing = existingBuild();
        if (!existing) throw new Error("--skip-build: no earlier bench build found; run without it once");
        dir = existing;
        this.log(`reusing the build in ${dir} (--skip-build)`);
      } else {
        this.log("next build in a private copy of the working tree…");
        const built = await buildApp((line) => this.log(line));
        dir = built.dir;
        this.buildMs = built.ms;
        this.log(`built in ${(built.ms / 1000).toFixed(1)} s`);
      }
      const room = await this.roomServer();
      const port = await freePort(3200);
      const server = await startApp({
        dir,
        port,
        authSecret: this.authSecret,
        roomUrl: room.url,
        roomSecret: this.roomSecret,
      });
      this.log(`next start on ${server.url}, room server on ${room.url}`);
      return server;
    })();
    return this.appServer;
  }

  browser(): Promise<Browser> {
    this.browserPromise ??= launchBrowser();
    return this.browserPromise;
  }

  /** Signs in once per run; later calls reuse the session. */
  private signedIn() {
    this.session ??= (async () => {
      const app = await this.app();
      const context = await (await this.browser()).newContext();
      try {
        const cookie = await signIn(context, app.url, BENCH_USER);
        return { cookie, storageState: await context.storageState() };
      } finally {
        await context.close();
      }
    })();
    return this.session;
  }

  /** `Cookie` header value for HTTP load tools. */
  async cookieHeader(): Promise<string> {
    return `${SESSION_COOKIE}=${(await this.signedIn()).cookie}`;
  }

  /** A fresh browser context (empty cache) holding the signed-in session. */
  async signedInContext(): Promise<BrowserContext> {
    const { storageState } = await this.signedIn();
    return (await this.browser()).newContext({ storageState });
  }

  /** Stops the app server and the room server (e.g. before a CPU-bound benchmark that needs neither). */
  async releaseServers(): Promise<void> {
    const app = this.appServer;
    const room = this.room;
    this.appServer = null;
    this.room = null;
    this.session = null;
    await Promise.allSettled([app?.then((a) => a.proc.stop()), room?.then((r) => r.proc.stop())]);
  }

  async close(): Promise<void> {
    const browser = this.browserPromise;
    this.browserPromise = null;
    await Promise.allSettled([browser?.then((b) => b.close()), closePlainBrowser()]);
    await this.releaseServers();
    await stopAll();
  }
}
