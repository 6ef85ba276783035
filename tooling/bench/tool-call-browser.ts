/**
 * Agent -> browser-hosted tool -> result (issue 17): an agent (a real 0.35.8
 * SDK client with an agent's grants) calls `show_toast`, which returns at
 * once, on the private `ui` toolkit that a signed-in room page in headless
 * Chromium registers while connected (`room.invoke_tool` naming the page's
 * participant, relayed by the local room as `room.tool_call.ui`, answered by
 * the page). Same-run baseline, in interleaved blocks: a bare SDK
 * direct-message round trip between the same agent and an SDK client in the
 * same room (a message there, a reply back). Goal: median <= 2x.
 * `tool-call.ts` measures the same with an SDK-hosted toolkit instead.
 *
 * Runnable alone: `npx tsx tooling/bench/tool-call-browser.ts [--skip-build]`.
 */

import { performance } from "node:perf_hooks";
import { ApiScope, EmptyContent, ErrorContent, type RoomClient, type RoomMessageEvent } from "@meshagent/meshagent";
import type { Page } from "@playwright/test";
import { silenceSdkResponseLogs } from "../../agent/sdk-noise";
import { runAlone } from "./lib/alone";
import { openRoomPage } from "./lib/agents-page";
import { BENCH_USER, type BenchContext } from "./lib/context";
import { joinRoom } from "./lib/sdk-join";
import { median, percentile, ratio } from "./lib/stats";
import { goal, row, type BenchResult } from "./lib/table";
import { waitFor, withTimeout } from "../testing/wait";

const BLOCKS = Number(process.env.BENCH_BROWSER_TOOL_BLOCKS ?? 10);
const PER_BLOCK = Number(process.env.BENCH_BROWSER_TOOL_PER_BLOCK ?? 50);
const TARGET = 2;
const ROOM = "bench-browser-tool";

export async function toolCallBrowser(ctx: BenchContext): Promise<Omit<BenchResult, "durationMs">> {
  const server = await ctx.roomServer();
  // The SDK logs every tool response; printing 1,000 lines would be timed as part of the tool calls.
  silenceSdkResponseLogs();
  const clients: RoomClient[] = [];
  let page: Page | null = null;
  try {
    page = await openRoomPage(ctx, ROOM);
    const join = (name: string, role: "user" | "agent", api?: ApiScope) =>
      joinRoom({ roomUrl: server.url, room: ROOM, secret: ctx.roomSecret, name, role, api });
    // An agent's grants (agents.use_tools among them), as a `--require-toolkit ui` agent's token carries.
    const agent = await join("bench-caller", "agent", ApiScope.agentDefault());
    const echo = await join("Bench Echo", "user");
    clients.push(agent, echo);

    const remote = (name: string) =>
      agent.messaging.remoteParticipants.find((p) => p.getAttribute("name") === name) ?? null;
    await waitFor(
      () => remote(BENCH_USER) !== null && remote("Bench Echo") !== null,
      "the page and the echo client",
      15_000,
    );
    const browserId = remote(BENCH_USER)!.id;
    const echoAtAgent = remote("Bench Echo")!;
    const hasUi = async () =>
      (await agent.agents.listToolkits({ participantId: browserId })).some((t) => t.name === "ui");
    for (let i = 0; !(await hasUi()); i++) {
      if (i > 100) throw new Error("the page never registered its ui toolkit");
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
    const messageRoundTrip = async (): Promise<number> => {
      const mine = ++seq;
      const started = performance.now();
      const back = new Promise<void>((resolve) => (pong = (got) => got === mine && resolve()));
      await agent.messaging.sendMessage({ to: echoAtAgent, type: "bench-ping", message: { seq: mine, text: "hello" } });
      await withTimeout(back, 10_000, "the echo's reply");
      return performance.now() - started;
    };
    const toolRoundTrip = async (): Promise<number> => {
      const mine = ++seq;
      const started = performance.now();
      const result = await withTimeout(
        agent.invoke({
          toolkit: "ui",
          tool: "show_toast",
          arguments: { title: `Bench ${mine}`, description: "hello" },
          participantId: browserId,
        }),
        10_000,
        "show_toast",
      );
      const elapsed = performance.now() - started;
      if (result instanceof ErrorContent || !(result instanceof EmptyContent))
        throw new Error(`show_toast answered ${JSON.stringify(result)}`);
      return elapsed;
    };

    for (let i = 0; i < PER_BLOCK; i++) {
      await messageRoundTrip();
      await toolRoundTrip();
    }
    const tool: number[] = [];
    const message: number[] = [];
    for (let block = 0; block < BLOCKS; block++) {
      // Alternate which side goes first so neither always follows the other.
      const toolFirst = block % 2 === 0;
      for (const side of toolFirst ? ["tool", "message"] : ["message", "tool"]) {
        for (let i = 0; i < PER_BLOCK; i++)
          if (side === "tool") tool.push(await toolRoundTrip());
          else message.push(await messageRoundTrip());
      }
    }
    const t = median(tool);
    const m = median(message);
    const r = ratio(t, m);
    const shown = await page.getByRole("status").filter({ hasText: "Bench" }).count();
    return {
      name: "tool-call-browser",
      title: "Agent -> show_toast on a browser page's ui toolkit -> result vs a bare SDK direct-message round trip",
      rows: [
        row("median round trip (ms)", t, m, `<= ${TARGET}x`, r <= TARGET),
        row("p90 round trip (ms)", percentile(tool, 90), percentile(message, 90)),
        row("p99 round trip (ms)", percentile(tool, 99), percentile(message, 99)),
      ],
      goals: [
        goal(
          "6b",
          "agent -> browser-hosted ui tool -> result <= 2x a bare SDK direct-message round trip (median)",
          r,
          `${r.toFixed(2)}x`,
          `<= ${TARGET}x`,
          r <= TARGET,
        ),
      ],
      notes: [
        `${tool.length} sequential calls per side in interleaved blocks of ${PER_BLOCK} after ${PER_BLOCK} warm-up each; host: the room page's private \`ui\` toolkit in headless Chromium (next start), ${shown} toasts on screen at the end (the page keeps 3).`,
        "The tool call is four hops (agent -> room -> page -> room -> agent); the message round trip, six (send + its response, the push, the reply's send + its response, the push back).",
      ],
      details: { tool, message },
    };
  } finally {
    for (const client of clients) client.dispose();
    await page?.close();
  }
}

runAlone(import.meta.url, toolCallBrowser);
