/**
 * What the Agents-tab benchmarks share: the demo agent answering through a
 * local OpenAI-compatible model server that streams at fixed intervals, a
 * signed-in room page on the Agents tab, a probe that timestamps text as it
 * appears in the page, and the offset between the page's clock and the
 * bench's (both `performance.timeOrigin + performance.now()`, so a time in
 * one can be compared with a time in the other).
 */

import { writeFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import type { Page } from "@playwright/test";
import { startDemoAgent, type DemoAgent, type DemoAgentOptions } from "../../../agent/index";
import { startModelServer, type ModelServer } from "../../../agent/openai-test-server";
import { silenceSdkResponseLogs } from "../../../agent/sdk-noise";
import { createModelTurnBrain } from "../../../agent/turn/model-turn";
import { CONNECTED_SELECTOR } from "./browser";
import { BENCH_USER, type BenchContext } from "./context";
import { PlainPage, TRACE_CATEGORIES } from "./plain-page";
import { TurnClient } from "./turn-client";

export const AGENT_NAME = "assistant";
/** Every benchmark turn is one user: the per-sender limits of a real room are lifted for the run. */
const UNLIMITED = { points: 1_000_000, windowMs: 1000 };

/** The bench process's clock, comparable with the page's `performance.timeOrigin + performance.now()`. */
export const benchNow = () => performance.timeOrigin + performance.now();

/** The demo agent in `room`, with `options` (a model turn brain, limits) on top of the bench defaults. */
export async function startBenchAgent(
  ctx: BenchContext,
  room: string,
  options: Partial<DemoAgentOptions> = {},
): Promise<DemoAgent> {
  const server = await ctx.roomServer();
  silenceSdkResponseLogs();
  const agent = startDemoAgent({
    rooms: [room],
    target: { where: "local-dev-room", apiUrl: server.url, secret: ctx.roomSecret },
    agentName: AGENT_NAME,
    turnRequestLimit: UNLIMITED,
    turnStartLimit: UNLIMITED,
    ...options,
  });
  await agent.whenConnected();
  return agent;
}

/** The demo agent answering turns with a model: the bench's local model server, over real HTTP through the AI SDK. */
async function startModelAgent(
  ctx: BenchContext,
  room: string,
): Promise<{ model: ModelServer; agent: DemoAgent; stop(): Promise<void> }> {
  const model = await startModelServer({ kind: "json", text: "ready" });
  const agent = await startBenchAgent(ctx, room, {
    turnBrain: createModelTurnBrain({ apiKey: "bench", baseURL: model.baseURL, model: "bench-model" }),
  });
  return {
    model,
    agent,
    async stop() {
      await agent.stop();
      await model.close();
    },
  };
}

/** When the model server wrote its first and last chunk of a stream (bench clock; NaN until then). */
export interface StreamTimes {
  first: number;
  last: number;
}

/**
 * The streaming benchmarks' set-up: the demo agent with a model, a page on
 * its Agents tab, and a bare SDK client in a thread of its own (the same-run
 * baseline). `stream()` sets what the model answers next.
 */
export async function streamingSession(ctx: BenchContext, room: string, threadName: string) {
  const server = await ctx.roomServer();
  const { model, stop } = await startModelAgent(ctx, room);
  let page: Page | null = null;
  let bare: TurnClient | null = null;
  const close = async () => {
    bare?.close();
    await page?.close();
    await stop();
  };
  try {
    page = await openAgentsTab(ctx, room);
    bare = await TurnClient.join(server.url, room, ctx.roomSecret, `${BENCH_USER} (SDK)`);
    const bareThread = await bare.startThread(threadName);
    return {
      page,
      bare,
      bareThread,
      close,
      /** The next model request streams `chunks`, `intervalMs` apart; the times fill in as the server writes. */
      stream(chunks: string[], intervalMs: number): StreamTimes {
        const times = { first: Number.NaN, last: Number.NaN };
        model.mode = {
          kind: "stream",
          chunks,
          delayMs: intervalMs,
          onChunk: (index) => {
            if (index === 0) times.first = benchNow();
            if (index === chunks.length - 1) times.last = benchNow();
          },
        };
        return times;
      },
    };
  } catch (error) {
    await close();
    throw error;
  }
}

/**
 * Init script (a string: page functions must not go through the bench's
 * transpiler). Counts the room socket's frames, and records for each frame
 * the page sends after receiving one the time in between
 * (`__benchFrameToSend`: how long the page took to answer). Collects every
 * main-thread long task (> 50 ms) of the page with its start in the bench
 * clock, and defines `__benchArm(selector, text,
 * count)`: a MutationObserver that records the page clock the moment an
 * element matching `selector`, after the first `count`, contains `text` and
 * is laid out.
 */
export const PAGE_PROBES = `(() => {
  const NativeSocket = window.WebSocket;
  window.__benchFrames = { arrayBuffer: 0, blob: 0, last: 0 };
  window.__benchFrameToSend = [];
  let lastFrameAt = NaN;
  window.WebSocket = class extends NativeSocket {
    constructor(...args) {
      super(...args);
      // Added before the SDK's listener, so this runs first.
      this.addEventListener("message", (event) => {
        lastFrameAt = performance.now();
        if (event.data instanceof ArrayBuffer) window.__benchFrames.arrayBuffer++;
        else if (event.data instanceof Blob) window.__benchFrames.blob++;
        window.__benchFrames.last = performance.timeOrigin + performance.now();
      });
    }
    send(data) {
      if (!Number.isNaN(lastFrameAt)) window.__benchFrameToSend.push(performance.now() - lastFrameAt);
      lastFrameAt = NaN;
      super.send(data);
    }
  };
  window.__benchLongTasks = [];
  try {
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries())
        window.__benchLongTasks.push({ start: performance.timeOrigin + entry.startTime, duration: entry.duration });
    }).observe({ type: "longtask", buffered: true });
  } catch {}
  // Looks only at what each mutation added or changed: scanning every answer's text on every mutation cost
  // the page more than half a second of main-thread time per long answer, inside the tasks being measured.
  window.__benchArm = (selector, text, count) => {
    window.__benchTextAt = new Promise((resolve) => {
      const holds = (element) => element.textContent.includes(text) && element.getClientRects().length > 0;
      const after = (element) => [...document.querySelectorAll(selector)].indexOf(element) >= count;
      const observer = new MutationObserver((records) => {
        for (const record of records) {
          const nodes = record.type === "characterData" ? [record.target] : record.addedNodes;
          for (const node of nodes) {
            if (!node.textContent || !node.textContent.includes(text)) continue;
            const element = node.nodeType === 1 ? node : node.parentElement;
            if (!element || !element.isConnected) continue;
            const candidates = [element.closest(selector), ...element.querySelectorAll(selector)];
            if (candidates.some((found) => found && holds(found) && after(found))) {
              observer.disconnect();
              resolve(performance.timeOrigin + performance.now());
              return;
            }
          }
        }
      });
      observer.observe(document.body, { subtree: true, childList: true, characterData: true });
    });
  };
})();`;

/** A signed-in room page, connected, with the probes installed. */
export async function openRoomPage(ctx: BenchContext, room: string): Promise<Page> {
  const app = await ctx.app();
  const context = await ctx.signedInContext();
  await context.addInitScript(PAGE_PROBES);
  const page = await context.newPage();
  // Not awaited by anyone: when the bench closes the browser right after the page, this close loses the race and
  // rejects (an unhandled TargetClosedError ended some runs after their results were printed).
  page.on("close", () => void context.close().catch(() => {}));
  await page.goto(`${app.url}/rooms/${room}`);
  await page.locator(CONNECTED_SELECTOR).waitFor({ timeout: 30_000 });
  return page;
}

/** The same, on the Agents tab with the demo agent's composer ready. */
export async function openAgentsTab(ctx: BenchContext, room: string): Promise<Page> {
  const page = await openRoomPage(ctx, room);
  await page.getByRole("tab", { name: "Agents" }).click();
  await page.getByLabel(`Write to ${AGENT_NAME}`).waitFor({ timeout: 30_000 });
  return page;
}

/** A page the probes run in: Playwright's, or a plain one that Playwright does not instrument. */
export type ProbedPage = Page | PlainPage;

function evaluateIn<T>(page: ProbedPage, expression: string): Promise<T> {
  return page instanceof PlainPage ? page.evaluate<T>(expression) : (page.evaluate(expression) as Promise<T>);
}

/** The composer of the demo agent's chat, as an expression a plain page evaluates. */
export const PLAIN_COMPOSER = `document.getElementById("agent-input-${AGENT_NAME}")`;

/** The same as openAgentsTab, in a page Playwright does not instrument (lib/plain-page.ts). */
export async function openPlainAgentsTab(ctx: BenchContext, room: string): Promise<PlainPage> {
  const page = await PlainPage.open(ctx, `/rooms/${room}`, [PAGE_PROBES]);
  await page.click(
    `[...document.querySelectorAll('[role="tab"]')].find((tab) => tab.textContent.trim().startsWith("Agents"))`,
  );
  await page.waitFor(PLAIN_COMPOSER, 30_000, "the Agents tab's composer");
  return page;
}

/** How the page's room socket received its frames so far; `last`: when the newest arrived (page clock). */
export async function pageFrames(page: ProbedPage): Promise<{ arrayBuffer: number; blob: number; last: number }> {
  return evaluateIn(page, "window.__benchFrames");
}

export async function pageLongTasks(page: ProbedPage): Promise<{ start: number; duration: number }[]> {
  return evaluateIn(page, "window.__benchLongTasks");
}

/**
 * page clock - bench clock, from the page.evaluate round trip with the least
 * delay of 15 (the page's reading is taken to be in the middle of it);
 * `uncertaintyMs` is half that round trip.
 */
export async function pageClockOffset(page: ProbedPage): Promise<{ offsetMs: number; uncertaintyMs: number }> {
  let best = { offsetMs: 0, uncertaintyMs: Number.POSITIVE_INFINITY };
  for (let i = 0; i < 15; i++) {
    const before = benchNow();
    const inPage = await evaluateIn<number>(page, "performance.timeOrigin + performance.now()");
    const after = benchNow();
    if ((after - before) / 2 < best.uncertaintyMs)
      best = { offsetMs: inPage - (before + after) / 2, uncertaintyMs: (after - before) / 2 };
  }
  return best;
}

/** The answers (final and commentary) of the Agents tab, in order. */
export const ANSWER_SELECTOR = '[data-testid="agent-answer"], [data-testid="agent-commentary"]';

/** Arms the text probe (see PAGE_PROBES); `appeared(page)` then waits for the time it records. */
export async function armTextProbe(page: ProbedPage, needle: string, before: number): Promise<void> {
  const args = [ANSWER_SELECTOR, needle, before].map((value) => JSON.stringify(value)).join(", ");
  await evaluateIn(page, `window.__benchArm(${args})`);
}

export async function appeared(page: ProbedPage): Promise<number> {
  return evaluateIn(page, "window.__benchTextAt");
}

/** Sends `text` from the Agents tab's composer. */
export async function sendFromPage(page: Page, text: string): Promise<void> {
  const input = page.getByLabel(`Write to ${AGENT_NAME}`);
  await input.fill(text);
  await input.press("Enter");
}

/**
 * A Chromium performance trace of the page (what DevTools' Performance panel records: tasks, layout, paint, GC),
 * written to `file` on stop; open it in DevTools or summarize its long tasks with `lib/trace-long-tasks.ts`.
 */
export async function startTrace(page: Page, file: string) {
  const browser = page.context().browser();
  if (!browser) throw new Error("tracing needs a launched browser");
  await browser.startTracing(page, {
    path: file,
    categories: TRACE_CATEGORIES,
  });
  return { stop: () => browser.stopTracing() };
}

/** A Chrome DevTools CPU profile of the page from now until `stop(file)` (open the file in DevTools' Performance panel). */
export async function startCpuProfile(page: Page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Profiler.enable");
  await cdp.send("Profiler.setSamplingInterval", { interval: 500 });
  await cdp.send("Profiler.start");
  return {
    async stop(file: string) {
      const { profile } = await cdp.send("Profiler.stop");
      writeFileSync(file, JSON.stringify(profile));
      await cdp.detach();
    },
  };
}
