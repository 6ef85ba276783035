/**
 * Agent -> browser-hosted tool -> result (issue 17): an agent (a real 0.35.8
 * SDK client with an agent's grants) calls `show_toast`, which returns at
 * once, on the private `ui` toolkit that a signed-in room page registers
 * while connected (`room.invoke_tool` naming the page's participant, relayed
 * by the local room as `room.tool_call.ui`, answered by the page). Same-run
 * baseline, in interleaved blocks: a bare SDK direct-message round trip
 * between the same agent and a bare SDK peer in a blank page of the same
 * browser (`lib/bare-peer-client.ts`, no React, no app code; a message there,
 * a reply back), so both cross the browser alike. Goal: median <= 2x. Both
 * pages run in a Chromium that Playwright does not drive (lib/plain-page.ts);
 * the same pair in Playwright's Chromium, and a round trip between two SDK
 * clients in Node (which never crosses a browser), are printed too.
 * `tool-call.ts` measures the same with an SDK-hosted toolkit instead.
 *
 * Runnable alone: `npx tsx tooling/bench/tool-call-browser.ts [--skip-build]`.
 */

import { performance } from "node:perf_hooks";
import { ApiScope, EmptyContent, ErrorContent, type RoomClient, type RoomMessageEvent } from "@meshagent/meshagent";
import { readFileSync } from "node:fs";
import type { BrowserContext, Page } from "@playwright/test";
import { participantApiScope } from "../../lib/participant-scope";
import { silenceSdkResponseLogs } from "../../agent/sdk-noise";
import { runAlone } from "./lib/alone";
import { bundleBarePage, type BarePageBundle } from "./lib/bare-page";
import { openRoomPage, PAGE_PROBES, startCpuProfile } from "./lib/agents-page";
import { PlainPage } from "./lib/plain-page";
import { BENCH_USER, type BenchContext } from "./lib/context";
import { joinRoom, participantJwt } from "./lib/sdk-join";
import { median, percentile, ratio } from "./lib/stats";
import { goal, row, type BenchResult } from "./lib/table";
import { waitFor, withTimeout } from "../testing/wait";

const BLOCKS = Number(process.env.BENCH_BROWSER_TOOL_BLOCKS ?? 10);
const PER_BLOCK = Number(process.env.BENCH_BROWSER_TOOL_PER_BLOCK ?? 50);
const TARGET = 2;
const ROOM = "bench-browser-tool";
/** BENCH_BROWSER_TOOL_PROFILE=<file>: a Chrome DevTools CPU profile of the page during the measured blocks (open it in DevTools). */
const PROFILE = process.env.BENCH_BROWSER_TOOL_PROFILE;

export async function toolCallBrowser(ctx: BenchContext): Promise<Omit<BenchResult, "durationMs">> {
  const server = await ctx.roomServer();
  // The SDK logs every tool response; printing 1,000 lines would be timed as part of the tool calls.
  silenceSdkResponseLogs();
  const clients: RoomClient[] = [];
  let page: Page | null = null;
  let peerContext: BrowserContext | null = null;
  let bundle: BarePageBundle | null = null;
  let plainApp: PlainPage | null = null;
  let plainPeer: PlainPage | null = null;
  try {
    page = await openRoomPage(ctx, ROOM);
    bundle = await bundleBarePage("bare-peer-client.ts");
    peerContext = await (await ctx.browser()).newContext();
    const peerPage = await peerContext.newPage();
    const peer = {
      url: `${server.url}/rooms/${ROOM}`,
      frames: "arraybuffer",
      jwt: await participantJwt({
        room: ROOM,
        secret: ctx.roomSecret,
        name: "Bench Peer",
        role: "user",
        api: participantApiScope(),
      }),
    };
    await peerPage.evaluate((config) => ((window as unknown as { __benchPeer: unknown }).__benchPeer = config), peer);
    await peerPage.addScriptTag({ content: readFileSync(bundle.file, "utf8") });
    await withTimeout(
      peerPage.evaluate(() => (window as unknown as { __benchPeerReady: Promise<void> }).__benchPeerReady),
      15_000,
      "the bare browser peer",
    );
    const join = (name: string, role: "user" | "agent", api?: ApiScope) =>
      joinRoom({ roomUrl: server.url, room: ROOM, secret: ctx.roomSecret, name, role, api });
    // An agent's grants (agents.use_tools among them), as a `--require-toolkit ui` agent's token carries.
    const agent = await join("bench-caller", "agent", ApiScope.agentDefault());
    const echo = await join("Bench Echo", "user");
    clients.push(agent, echo);

    const remote = (name: string) =>
      agent.messaging.remoteParticipants.find((p) => p.getAttribute("name") === name) ?? null;
    await waitFor(
      () => remote(BENCH_USER) !== null && remote("Bench Echo") !== null && remote("Bench Peer") !== null,
      "the page, the echo client and the bare browser peer",
      15_000,
    );
    const browserId = remote(BENCH_USER)!.id;
    const echoAtAgent = remote("Bench Echo")!;
    const peerAtAgent = remote("Bench Peer")!;

    // The same two pages in a Chromium that Playwright does not instrument (lib/plain-page.ts): the app page, and
    // the bare SDK peer under another name. Playwright serializes every frame and console line of the pages it
    // drives for its driver; these pages are what a person's browser runs.
    plainApp = await PlainPage.open(ctx, `/rooms/${ROOM}`, [PAGE_PROBES]);
    plainPeer = await PlainPage.blank();
    const plainPeerConfig = {
      ...peer,
      jwt: await participantJwt({
        room: ROOM,
        secret: ctx.roomSecret,
        name: "Bench Plain Peer",
        role: "user",
        api: participantApiScope(),
      }),
    };
    await plainPeer.evaluate(`window.__benchPeer = ${JSON.stringify(plainPeerConfig)}; undefined`);
    await plainPeer.evaluate(`${readFileSync(bundle.file, "utf8")}; undefined`);
    await withTimeout(plainPeer.evaluate("window.__benchPeerReady"), 15_000, "the plain bare peer");
    const plainAppAt = () =>
      agent.messaging.remoteParticipants.find((p) => p.getAttribute("name") === BENCH_USER && p.id !== browserId) ??
      null;
    await waitFor(
      () => plainAppAt() !== null && remote("Bench Plain Peer") !== null,
      "the plain app page and the plain bare peer",
      15_000,
    );
    const plainBrowserId = plainAppAt()!.id;
    const plainPeerAtAgent = remote("Bench Plain Peer")!;
    const hasUi = async (participantId: string) =>
      (await agent.agents.listToolkits({ participantId })).some((t) => t.name === "ui");
    const hosts = [browserId, peerAtAgent.id, plainBrowserId, plainPeerAtAgent.id];
    for (let i = 0; !(await Promise.all(hosts.map(hasUi))).every(Boolean); i++) {
      if (i > 100) throw new Error("a page or a bare peer never registered its ui toolkit");
      await new Promise((resolve) => setTimeout(resolve, 100));
    }

    echo.messaging.on("message", (event: RoomMessageEvent) => {
      if (event.message.type !== "bench-ping") return;
      const from = echo.messaging.getParticipant(event.message.fromParticipantId);
      if (from) void echo.messaging.sendMessage({ to: from, type: "bench-pong", message: event.message.message });
    });
    let pong: ((seq: number) => void) | null = null;
    agent.messaging.on("message", (event: RoomMessageEvent) => {
      if (event.message.type === "bench-pong") pong?.(Number(event.message.message.seq));
    });

    let seq = 0;
    const messageRoundTrip = async (to = echoAtAgent): Promise<number> => {
      const mine = ++seq;
      const started = performance.now();
      const back = new Promise<void>((resolve) => (pong = (got) => got === mine && resolve()));
      await agent.messaging.sendMessage({ to, type: "bench-ping", message: { seq: mine, text: "hello" } });
      await withTimeout(back, 10_000, "the echo's reply");
      return performance.now() - started;
    };
    const toolRoundTrip = async (participantId = browserId): Promise<number> => {
      const mine = ++seq;
      const started = performance.now();
      const result = await withTimeout(
        agent.invoke({
          toolkit: "ui",
          tool: "show_toast",
          arguments: { title: `Bench ${mine}`, description: "hello" },
          participantId,
        }),
        10_000,
        "show_toast",
      );
      const elapsed = performance.now() - started;
      if (result instanceof ErrorContent || !(result instanceof EmptyContent))
        throw new Error(`show_toast answered ${JSON.stringify(result)}`);
      return elapsed;
    };

    const sides = {
      tool: () => toolRoundTrip(),
      message: () => messageRoundTrip(),
      peerTool: () => toolRoundTrip(peerAtAgent.id),
      peerMessage: () => messageRoundTrip(peerAtAgent),
      plainTool: () => toolRoundTrip(plainBrowserId),
      plainPeerTool: () => toolRoundTrip(plainPeerAtAgent.id),
      plainPeerMessage: () => messageRoundTrip(plainPeerAtAgent),
    };
    type Side = keyof typeof sides;
    const order = Object.keys(sides) as Side[];
    for (let i = 0; i < PER_BLOCK; i++) for (const side of order) await sides[side]();
    const samples = Object.fromEntries(order.map((side) => [side, [] as number[]])) as Record<Side, number[]>;
    await page.evaluate(() => ((window as unknown as { __benchFrameToSend: number[] }).__benchFrameToSend = []));
    const profile = PROFILE ? await startCpuProfile(page) : null;
    for (let block = 0; block < BLOCKS; block++) {
      // Rotate which side goes first so none always follows another.
      const rotated = [...order.slice(block % order.length), ...order.slice(0, block % order.length)];
      for (const side of rotated) for (let i = 0; i < PER_BLOCK; i++) samples[side].push(await sides[side]());
    }
    await profile?.stop(PROFILE!);
    const { tool, message, peerTool, peerMessage, plainTool, plainPeerTool, plainPeerMessage } = samples;
    // The goal: the app page's show_toast against a bare SDK direct-message round trip between the same agent and
    // a bare SDK client in the same browser: the same two ends, the same browser hops, so the ratio is what the
    // toolkit path costs over plain messaging. Both pages run in the Chromium no driver instruments.
    const t = median(plainTool);
    const m = median(plainPeerMessage);
    const r = ratio(t, m);
    // The other reading of the baseline: two SDK clients in Node, a round trip that never crosses a browser.
    const node = ratio(t, median(message));
    // Only tool calls reach the Playwright app page in the measured blocks, so each answer is one entry.
    const inPage = await page.evaluate(
      () => (window as unknown as { __benchFrameToSend: number[] }).__benchFrameToSend,
    );
    const shown = await page.getByRole("status").filter({ hasText: "Bench" }).count();
    return {
      name: "tool-call-browser",
      title: "Agent -> show_toast on a browser page's ui toolkit -> result vs a bare SDK direct-message round trip",
      rows: [
        row(
          "median round trip: show_toast on the app page vs a bare SDK page's direct-message round trip (ms)",
          t,
          m,
          `<= ${TARGET}x`,
          r <= TARGET,
        ),
        row("p90 round trip (ms)", percentile(plainTool, 90), percentile(plainPeerMessage, 90)),
        row("p99 round trip (ms)", percentile(plainTool, 99), percentile(plainPeerMessage, 99)),
        row("show_toast: the app page vs the bare SDK page (ms)", t, median(plainPeerTool)),
        row("the app page's show_toast vs two SDK clients' round trip in Node (ms)", t, median(message)),
        row("Playwright's app page: show_toast vs the Node SDK round trip (ms)", median(tool), median(message)),
        row(
          "Playwright's bare SDK page: show_toast vs its direct-message round trip (ms)",
          median(peerTool),
          median(peerMessage),
        ),
        row(
          "in Playwright's app page: the call's last frame in -> the answer's first frame out, median (ms)",
          median(inPage),
          "",
        ),
        row("the same, p90 (ms)", percentile(inPage, 90), ""),
      ],
      goals: [
        goal(
          "6b",
          "agent -> browser-hosted ui tool -> result <= 2x a bare SDK direct-message round trip with a browser page (median)",
          r,
          `${r.toFixed(2)}x (${node.toFixed(2)}x two Node clients' round trip)`,
          `<= ${TARGET}x`,
          r <= TARGET,
        ),
      ],
      notes: [
        `${tool.length} sequential calls per side in interleaved blocks of ${PER_BLOCK} after ${PER_BLOCK} warm-up each; hosts: the room page's private \`ui\` toolkit (next start), ${shown} toasts on screen at the end of Playwright's page (the page keeps 3).`,
        "Plain pages: a second headless Chromium that the bench drives over DevTools itself without enabling its Network or Runtime domains (lib/plain-page.ts); Playwright's pages serialize every WebSocket frame and console line for their driver. Bare SDK page: the 0.35.8 SDK alone in a blank page (esbuild bundle, native codecs, ArrayBuffer frames as the app's, no React, no app code) answering the same agent's direct messages and hosting a ui toolkit whose show_toast answers at once; the goal compares the app page with it, both in the plain Chromium.",
        "The tool call is four hops (agent -> room -> page -> room -> agent); the message round trip, six (send + its response, the push, the reply's send + its response, the push back).",
        "Also printed: a direct-message round trip between the agent and an SDK client in the bench process, which never crosses a browser (one browser hop costs more than that whole round trip on this VM).",
      ],
      details: { ...samples, inPage },
    };
  } finally {
    for (const client of clients) client.dispose();
    await page?.close();
    await peerContext?.close();
    bundle?.dispose();
    await plainApp?.close();
    await plainPeer?.close();
  }
}

runAlone(import.meta.url, toolCallBrowser);
