/**
 * Agent reply: the median time from pressing Enter in the room page's Agents
 * tab to the demo agent's reply laid out on screen (headless Chromium,
 * `next start` of the production build, offline brain, demo agent in the
 * bench process, the bench's room server). Baseline: a bare SDK client in the
 * same room sending the same `chat` to the same agent and waiting for its
 * `chat` back. Page and bare round trips are interleaved so noise hits both.
 *
 * Runnable alone: `npx tsx tooling/bench/agent-reply.ts [--skip-build]`.
 */

import { ParticipantToken, Protocol, RoomClient, WebSocketProtocolChannel } from "@meshagent/meshagent";
import type { Page } from "@playwright/test";
import { startDemoAgent } from "../../agent/index";
import { silenceSdkResponseLogs } from "../../agent/sdk-noise";
import { CONNECTED_SELECTOR } from "./lib/browser";
import { runAlone } from "./lib/alone";
import { BENCH_ROOM, type BenchContext } from "./lib/context";
import { median, percentile } from "./lib/stats";
import { row, type BenchResult } from "./lib/table";

const RUNS = Number(process.env.BENCH_AGENT_RUNS ?? 20);
const WARMUP = Number(process.env.BENCH_AGENT_WARMUP ?? 3);
const AGENT_NAME = "assistant";
const TIMEOUT_MS = 10_000;
const REPLY = '[data-testid="agent-message"][data-own="false"]';

/** Records, in the page's clock, Enter in the composer and the next agent reply laid out. */
const REPLY_PROBE = `(() => {
  window.__agentBench = (input, before) => new Promise((resolve) => {
    let sentAt = null;
    input.addEventListener("keydown", (event) => { if (event.key === "Enter") sentAt = performance.now(); }, { once: true, capture: true });
    const observer = new MutationObserver(() => {
      const replies = document.querySelectorAll(${JSON.stringify(REPLY)});
      if (sentAt !== null && replies.length > before && replies[replies.length - 1].getClientRects().length > 0) {
        observer.disconnect();
        resolve(performance.now() - sentAt);
      }
    });
    observer.observe(document.body, { subtree: true, childList: true });
  });
})();`;

async function pageRoundTrip(page: Page, text: string): Promise<number> {
  const input = page.getByLabel(`Write to ${AGENT_NAME}`);
  await input.fill(text);
  const before = await page.locator(REPLY).count();
  const handle = await input.elementHandle();
  const measured = page.evaluate(
    ([element, count]) =>
      (window as unknown as { __agentBench: (e: unknown, n: number) => Promise<number> }).__agentBench(element, count),
    [handle, before] as const,
  );
  await input.press("Enter");
  return withTimeout(measured, "the agent's reply on screen");
}

/** A bare SDK client: sends `chat` straight to the agent and waits for its `chat` back. */
async function bareClient(roomUrl: string, secret: string) {
  const token = new ParticipantToken({ name: "Bench SDK" });
  token.addRoomGrant(BENCH_ROOM);
  token.addRoleGrant("user");
  const jwt = await token.toJwt({ token: secret });
  const client = new RoomClient({
    protocol: new Protocol({ channel: new WebSocketProtocolChannel({ url: `${roomUrl}/rooms/${BENCH_ROOM}`, jwt }) }),
  });
  await client.start({ onDone: () => {}, onError: () => {} });
  await client.messaging.enable();
  const path = `.threads/${AGENT_NAME}/bench-sdk.thread`;
  let waiting: (() => void) | null = null;
  client.messaging.on("message", (event: { message: { type: string; message: { path?: unknown } } }) => {
    if (event.message.type === "chat" && event.message.message.path === path) waiting?.();
  });
  return {
    async roundTrip(text: string): Promise<number> {
      const agent = client.messaging.remoteParticipants.find((p) => p.role === "agent");
      if (!agent) throw new Error("the demo agent is not in the room");
      const started = performance.now();
      const replied = new Promise<void>((resolve) => (waiting = resolve));
      await client.messaging.sendMessage({
        to: agent,
        type: "chat",
        message: { path, text, attachments: [], store: true },
      });
      await withTimeout(replied, "the agent's reply over the SDK");
      return performance.now() - started;
    },
    close: () => client.dispose(),
  };
}

export async function agentReply(ctx: BenchContext): Promise<Omit<BenchResult, "durationMs">> {
  const app = await ctx.app();
  const room = await ctx.roomServer();
  silenceSdkResponseLogs();
  // The per-sender limit (6 messages / 10 s) would throttle a benchmark; everything else is as `npm run dev` runs it.
  const agent = startDemoAgent({
    rooms: [BENCH_ROOM],
    target: { where: "local-dev-room", apiUrl: room.url, secret: ctx.roomSecret },
    agentName: AGENT_NAME,
    senderLimit: { points: 10_000, durationSeconds: 1 },
  });
  const context = await ctx.signedInContext();
  let bare: Awaited<ReturnType<typeof bareClient>> | null = null;
  try {
    await agent.whenConnected();
    bare = await bareClient(room.url, ctx.roomSecret);
    await context.addInitScript(REPLY_PROBE);
    const page = await context.newPage();
    await page.goto(`${app.url}/rooms/${BENCH_ROOM}`);
    await page.locator(CONNECTED_SELECTOR).waitFor({ timeout: 20_000 });
    await page.getByRole("tab", { name: "Agents" }).click();
    await page.locator(REPLY).first().waitFor({ timeout: TIMEOUT_MS }); // the greeting

    ctx.log(`agent-reply: ${WARMUP} warm-up + ${RUNS} measured round trips each…`);
    for (let i = 0; i < WARMUP; i++) {
      await pageRoundTrip(page, "ping");
      await bare.roundTrip("ping");
    }
    const appSamples: number[] = [];
    const bareSamples: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      appSamples.push(await pageRoundTrip(page, "ping"));
      bareSamples.push(await bare.roundTrip("ping"));
    }
    const a = median(appSamples);
    const b = median(bareSamples);
    return {
      name: "agent-reply",
      title: "Agent reply: Enter in the Agents tab -> demo agent's reply on screen vs bare SDK client round trip",
      rows: [
        row("median send -> reply (ms)", a, b, "app < 3000 ms", a < 3000),
        row("p90 (ms)", percentile(appSamples, 90), percentile(bareSamples, 90)),
        row(
          "min / max (ms)",
          `${Math.round(Math.min(...appSamples))} / ${Math.round(Math.max(...appSamples))}`,
          `${Math.round(Math.min(...bareSamples))} / ${Math.round(Math.max(...bareSamples))}`,
        ),
      ],
      notes: [
        `${RUNS} round trips each after ${WARMUP} warm-up, interleaved; offline brain ("ping" -> "pong"); agent per-sender rate limit lifted for the run.`,
        "App: keydown of Enter -> reply bubble laid out (MutationObserver, page clock). Both sides include the agent setting its status attributes before it replies.",
      ],
      details: { appSamples, bareSamples },
    };
  } finally {
    bare?.close();
    await context.close();
    await agent.stop();
  }
}

async function withTimeout<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no ${what} within ${TIMEOUT_MS} ms`)), TIMEOUT_MS);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

runAlone(import.meta.url, agentReply);
