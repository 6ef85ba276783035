/**
 * Time to first text (issue 16, benchmark 1): the demo agent on the turn
 * protocol answers with a model, the bench's local OpenAI-compatible server,
 * which streams 20 deltas at a fixed interval. Per turn: the time from the
 * model server writing its first text chunk to that text laid out in the
 * Agents tab (headless Chromium, `next start`; a MutationObserver in the page
 * timestamps it, and the page clock is mapped onto the bench's). Same-run
 * baseline, interleaved: a bare SDK client in the same room on the same
 * protocol, from the same first chunk to its first `text_content.delta`.
 * Goal: median <= 50 ms.
 *
 * Runnable alone: `npx tsx tooling/bench/agent-first-text.ts [--skip-build]`.
 */

import type { Page } from "@playwright/test";
import { runAlone } from "./lib/alone";
import {
  ANSWER_SELECTOR,
  appeared,
  armTextProbe,
  pageClockOffset,
  sendFromPage,
  streamingSession,
} from "./lib/agents-page";
import type { BenchContext } from "./lib/context";
import { median, percentile } from "./lib/stats";
import { goal, row, type BenchResult } from "./lib/table";
import type { TurnClient } from "./lib/turn-client";
import { withTimeout } from "../testing/wait";

const RUNS = Number(process.env.BENCH_FIRST_TEXT_RUNS ?? 20);
const WARMUP = Number(process.env.BENCH_FIRST_TEXT_WARMUP ?? 3);
const INTERVAL_MS = Number(process.env.BENCH_FIRST_TEXT_INTERVAL_MS ?? 20);
const CHUNKS = 20;
const TARGET_MS = 50;
const ROOM = "bench-first-text";
const TIMEOUT_MS = 20_000;

/** The model's answer for turn `n`: the first chunk names the turn, so each turn's first text is unique. */
function answer(n: number): string[] {
  return [`Answer ${n}: `, ...Array.from({ length: CHUNKS - 1 }, (_, i) => `word${i} `)];
}

export async function agentFirstText(ctx: BenchContext): Promise<Omit<BenchResult, "durationMs">> {
  const session = await streamingSession(ctx, ROOM, "first text");
  try {
    const { page, bare, bareThread } = session;
    let n = 0;

    const pageTurn = async (p: Page): Promise<number> => {
      const turn = ++n;
      const times = session.stream(answer(turn), INTERVAL_MS);
      // Each turn's first text is unique, so the probe looks at every answer on screen: the thread shows
      // only its newest turns (turn-window.ts), so after 20 turns the count of answers stops growing.
      await armTextProbe(p, `Answer ${turn}:`, 0);
      await sendFromPage(p, `question ${turn}`);
      const shownInPage = await withTimeout(appeared(p), TIMEOUT_MS, "the first text on screen");
      const { offsetMs } = await pageClockOffset(p);
      // The turn ends before the next starts, so turns never queue.
      await p
        .locator(ANSWER_SELECTOR)
        .filter({ hasText: `Answer ${turn}:` })
        .and(p.locator('[data-done="true"]'))
        .waitFor({ timeout: TIMEOUT_MS });
      await p.getByRole("button", { name: "Stop" }).waitFor({ state: "hidden", timeout: TIMEOUT_MS });
      return shownInPage - offsetMs - times.first;
    };

    const bareTurn = async (client: TurnClient): Promise<number> => {
      const times = session.stream(answer(++n), INTERVAL_MS);
      const { firstDelta } = await client.timedTurn(bareThread, `question ${n}`);
      return firstDelta - times.first;
    };

    ctx.log(`agent-first-text: ${WARMUP} warm-up + ${RUNS} measured turns each…`);
    for (let i = 0; i < WARMUP; i++) {
      await pageTurn(page);
      await bareTurn(bare);
    }
    const clock = await pageClockOffset(page);
    const appSamples: number[] = [];
    const bareSamples: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      appSamples.push(await pageTurn(page));
      bareSamples.push(await bareTurn(bare));
    }
    const a = median(appSamples);
    const b = median(bareSamples);
    return {
      name: "agent-first-text",
      title:
        "Time to first text: model server's first text chunk -> that text on screen in the Agents tab (turn protocol)",
      rows: [
        row("median first chunk -> first text (ms)", a, b, `app <= ${TARGET_MS} ms`, a <= TARGET_MS),
        row("p90 (ms)", percentile(appSamples, 90), percentile(bareSamples, 90)),
        row(
          "min / max (ms)",
          `${Math.round(Math.min(...appSamples))} / ${Math.round(Math.max(...appSamples))}`,
          `${Math.round(Math.min(...bareSamples))} / ${Math.round(Math.max(...bareSamples))}`,
        ),
      ],
      goals: [
        goal(
          "16.1",
          "agent's first text on screen <= 50 ms after the model's first chunk (median)",
          a,
          `${a.toFixed(1)} ms`,
          `<= ${TARGET_MS} ms`,
          a <= TARGET_MS,
        ),
      ],
      notes: [
        `${RUNS} turns each after ${WARMUP} warm-up, interleaved; the model server streams ${CHUNKS} chunks ${INTERVAL_MS} ms apart; demo agent with the AI SDK model brain, per-sender limits lifted.`,
        `Baseline: a bare SDK client on the same protocol, first chunk -> its first text_content.delta. Page clock mapped to the bench's to within ${clock.uncertaintyMs.toFixed(2)} ms (half the best page.evaluate round trip).`,
      ],
      details: { appSamples, bareSamples, clock },
    };
  } finally {
    await session.close();
  }
}

runAlone(import.meta.url, agentFirstText);
