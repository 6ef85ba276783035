/**
 * A page in a Chromium that Playwright does not drive: the bench talks to it
 * over the DevTools protocol itself and enables only the Page domain (for its
 * init scripts and navigation). Playwright enables the Network and Runtime
 * domains on every page it drives, and Chromium then serializes each
 * WebSocket frame the page receives and each console line into a DevTools
 * event for it: thousands of frames a second, on the page's main thread and
 * in the browser process, that no person's browser does. The page benchmarks
 * measure the app here, and keep their Playwright figures as a second row.
 */

import { spawn, type ChildProcess } from "node:child_process";
import { writeFileSync } from "node:fs";
import WebSocket from "ws";
import { SYSTEM_CHROMIUM_ARGS, systemChromium } from "../../../e2e/browser";
import { CONNECTED_SELECTOR, SESSION_COOKIE } from "./browser";
import type { BenchContext } from "./context";

type Params = Record<string, unknown>;

const PLAYWRIGHT_SCHEDULING_ARGS = [
  "--disable-background-timer-throttling",
  "--disable-backgrounding-occluded-windows",
  "--disable-renderer-backgrounding",
  "--disable-ipc-flooding-protection",
  "--disable-hang-monitor",
  "--disable-field-trial-config",
];

/** What a page's performance trace records: its tasks and what they did (script, style, layout, paint, GC). */
export const TRACE_CATEGORIES = [
  "toplevel",
  "devtools.timeline",
  "disabled-by-default-devtools.timeline",
  "v8.execute",
  "blink.user_timing",
  "disabled-by-default-v8.gc",
];

interface Pending {
  resolve: (result: Params) => void;
  reject: (error: Error) => void;
}

/** One Chromium and one DevTools connection, shared by every plain page of a run. */
class PlainBrowser {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  /** Waiting for a DevTools event by method name (the first one that comes resolves). */
  private readonly awaited = new Map<string, (params: Params) => void>();

  private constructor(
    private readonly process: ChildProcess,
    private readonly socket: WebSocket,
  ) {
    socket.on("message", (data) => {
      const message = JSON.parse(String(data)) as {
        id?: number;
        method?: string;
        params?: Params;
        result?: Params;
        error?: { message: string };
      };
      if (message.id === undefined) {
        const waiter = message.method ? this.awaited.get(message.method) : undefined;
        this.awaited.delete(message.method ?? "");
        waiter?.(message.params ?? {});
        return;
      }
      const waiting = this.pending.get(message.id);
      this.pending.delete(message.id);
      if (message.error) waiting?.reject(new Error(`DevTools: ${message.error.message}`));
      else waiting?.resolve(message.result ?? {});
    });
  }

  static async launch(): Promise<PlainBrowser> {
    const executable = systemChromium();
    if (!executable) throw new Error("the plain page needs a system Chromium (apt-get install chromium)");
    const child = spawn(
      executable,
      [
        ...SYSTEM_CHROMIUM_ARGS,
        // As Playwright launches it: a page the bench does not look at is not treated as a background page.
        ...PLAYWRIGHT_SCHEDULING_ARGS,
        "--headless",
        "--remote-debugging-port=0",
        "--hide-scrollbars",
        "about:blank",
      ],
      { stdio: ["ignore", "ignore", "pipe"] },
    );
    const endpoint = await new Promise<string>((resolve, reject) => {
      let seen = "";
      const timer = setTimeout(() => reject(new Error("Chromium printed no DevTools endpoint in 30 s")), 30_000);
      child.stderr!.on("data", (chunk: Buffer) => {
        seen += String(chunk);
        const found = /DevTools listening on (ws:\/\/\S+)/.exec(seen);
        if (found) {
          clearTimeout(timer);
          resolve(found[1]!);
        }
      });
      child.once("exit", (code) => reject(new Error(`Chromium exited (${code}) before it listened`)));
    });
    child.stderr!.resume();
    const socket = new WebSocket(endpoint, { perMessageDeflate: false, maxPayload: 256 * 1024 * 1024 });
    await new Promise((resolve, reject) => socket.once("open", resolve).once("error", reject));
    return new PlainBrowser(child, socket);
  }

  send(method: string, params: Params = {}, sessionId?: string): Promise<Params> {
    const id = this.nextId++;
    this.socket.send(JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) }));
    return new Promise((resolve, reject) => this.pending.set(id, { resolve, reject }));
  }

  event(method: string): Promise<Params> {
    return new Promise((resolve) => this.awaited.set(method, resolve));
  }

  close() {
    this.socket.close();
    this.process.kill("SIGKILL");
  }
}

let shared: Promise<PlainBrowser> | null = null;

/** Closes the plain Chromium (the bench context's close calls it). */
export async function closePlainBrowser(): Promise<void> {
  const browser = shared;
  shared = null;
  (await browser?.catch(() => null))?.close();
}

export class PlainPage {
  private constructor(
    private readonly browser: PlainBrowser,
    private readonly sessionId: string,
    private readonly contextId: string,
  ) {}

  /** A blank page in a fresh browser context (no session), for scripts the bench runs in it. */
  static async blank(): Promise<PlainPage> {
    shared ??= PlainBrowser.launch();
    const browser = await shared;
    const { browserContextId } = (await browser.send("Target.createBrowserContext")) as { browserContextId: string };
    const { targetId } = (await browser.send("Target.createTarget", { url: "about:blank", browserContextId })) as {
      targetId: string;
    };
    const { sessionId } = (await browser.send("Target.attachToTarget", { targetId, flatten: true })) as {
      sessionId: string;
    };
    return new PlainPage(browser, sessionId, browserContextId);
  }

  /** A fresh browser context signed in as the bench user, on `path` of the app, with `initScripts` run before the page's own. */
  static async open(ctx: BenchContext, path: string, initScripts: string[] = []): Promise<PlainPage> {
    shared ??= PlainBrowser.launch();
    const browser = await shared;
    const app = await ctx.app();
    const cookie = (await ctx.cookieHeader()).slice(SESSION_COOKIE.length + 1);
    const { browserContextId } = (await browser.send("Target.createBrowserContext")) as { browserContextId: string };
    await browser.send("Storage.setCookies", {
      browserContextId,
      cookies: [{ name: SESSION_COOKIE, value: cookie, url: app.url, httpOnly: true, sameSite: "Lax" }],
    });
    const { targetId } = (await browser.send("Target.createTarget", { url: "about:blank", browserContextId })) as {
      targetId: string;
    };
    const { sessionId } = (await browser.send("Target.attachToTarget", { targetId, flatten: true })) as {
      sessionId: string;
    };
    const page = new PlainPage(browser, sessionId, browserContextId);
    await page.send("Page.enable");
    for (const source of initScripts) await page.send("Page.addScriptToEvaluateOnNewDocument", { source });
    await page.send("Page.navigate", { url: `${app.url}${path}` });
    await page.waitFor(
      `!!document.querySelector(${JSON.stringify(CONNECTED_SELECTOR)})`,
      30_000,
      "the room page connected",
    );
    return page;
  }

  private send(method: string, params: Params = {}) {
    return this.browser.send(method, params, this.sessionId);
  }

  /** `expression`'s value (awaited if a promise); a thrown error rejects. */
  async evaluate<T>(expression: string): Promise<T> {
    const { result, exceptionDetails } = (await this.send("Runtime.evaluate", {
      expression,
      awaitPromise: true,
      returnByValue: true,
    })) as { result: { value?: T }; exceptionDetails?: { text: string; exception?: { description?: string } } };
    if (exceptionDetails)
      throw new Error(`in the page: ${exceptionDetails.exception?.description ?? exceptionDetails.text}`);
    return result.value as T;
  }

  /** Polls `expression` until it is truthy. */
  async waitFor(expression: string, timeoutMs: number, what: string): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(await this.evaluate<boolean>(`Boolean(${expression})`))) {
      if (Date.now() > deadline) throw new Error(`${what}: not there after ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /**
   * A person's click (mouse down and up at its centre, as Playwright does) on the element `element` evaluates to;
   * resolves with the page clock (`performance.timeOrigin + performance.now()`) just before it is sent.
   */
  async click(element: string): Promise<number> {
    const box = await this.evaluate<{ x: number; y: number; at: number } | null>(`(() => {
      const element = ${element};
      if (!element) return null;
      element.scrollIntoView({ block: "center" });
      const rect = element.getBoundingClientRect();
      return { x: rect.left + rect.width / 2, y: rect.top + rect.height / 2, at: performance.timeOrigin + performance.now() };
    })()`);
    if (!box) throw new Error(`nothing to click: ${element}`);
    const mouse = { x: box.x, y: box.y, button: "left", clickCount: 1 };
    await this.send("Input.dispatchMouseEvent", { type: "mouseMoved", x: box.x, y: box.y });
    const at = await this.evaluate<number>("performance.timeOrigin + performance.now()");
    await this.send("Input.dispatchMouseEvent", { type: "mousePressed", ...mouse });
    await this.send("Input.dispatchMouseEvent", { type: "mouseReleased", ...mouse });
    return at;
  }

  /** Types `text` into the element `element` evaluates to (focused by a click) and presses Enter, as a person would. */
  async typeAndEnter(element: string, text: string): Promise<void> {
    await this.click(element);
    await this.send("Input.insertText", { text });
    const enter = { key: "Enter", code: "Enter", windowsVirtualKeyCode: 13, nativeVirtualKeyCode: 13 };
    await this.send("Input.dispatchKeyEvent", { type: "rawKeyDown", ...enter });
    await this.send("Input.dispatchKeyEvent", { type: "char", text: "\r", ...enter });
    await this.send("Input.dispatchKeyEvent", { type: "keyUp", ...enter });
  }

  /** A CPU profile of the page from now until `stop(file)` (open it in DevTools). */
  async startCpuProfile() {
    await this.send("Profiler.enable");
    await this.send("Profiler.setSamplingInterval", { interval: 500 });
    await this.send("Profiler.start");
    return {
      stop: async (file: string) => {
        const { profile } = await this.send("Profiler.stop");
        writeFileSync(file, JSON.stringify(profile));
        await this.send("Profiler.disable");
      },
    };
  }

  /**
   * A Chromium performance trace from now until `stop()`, written to `file` (open it in DevTools' Performance
   * panel, or read its long tasks with trace-long-tasks.ts). It records the whole plain browser: trace one page
   * at a time.
   */
  async startTrace(file: string) {
    await this.browser.send("Tracing.start", {
      transferMode: "ReturnAsStream",
      traceConfig: { includedCategories: TRACE_CATEGORIES },
    });
    return {
      stop: async () => {
        const complete = this.browser.event("Tracing.tracingComplete");
        await this.browser.send("Tracing.end");
        const { stream } = (await complete) as { stream: string };
        const parts: string[] = [];
        for (;;) {
          const { data, eof, base64Encoded } = (await this.browser.send("IO.read", { handle: stream })) as {
            data: string;
            eof: boolean;
            base64Encoded?: boolean;
          };
          parts.push(base64Encoded ? Buffer.from(data, "base64").toString("utf8") : data);
          if (eof) break;
        }
        await this.browser.send("IO.close", { handle: stream });
        writeFileSync(file, parts.join(""));
      },
    };
  }

  async close(): Promise<void> {
    await this.browser.send("Target.disposeBrowserContext", { browserContextId: this.contextId }).catch(() => {});
  }
}
