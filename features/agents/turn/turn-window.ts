"use client";

import { useState } from "react";

/** Turns a thread shows when it opens; older ones come on request, this many at a time. */
export const TURN_WINDOW = { first: 20, more: 50 } as const;

export interface TurnWindow {
  threadId: string | null;
  /** How many of the newest turns are on screen. */
  count: number;
  /** Turns the thread had when this window was last computed. */
  length: number;
  /** The history is on screen: turns added from now on are the live chat. */
  live: boolean;
}

/**
 * The window after the thread changed. Another thread starts again from its
 * newest turns; turns that arrive once the history is on screen widen the
 * window, so a live chat never pushes earlier turns behind the button.
 */
export function nextTurnWindow(range: TurnWindow, threadId: string | null, length: number, live: boolean): TurnWindow {
  if (range.threadId !== threadId) return { threadId, count: TURN_WINDOW.first, length, live };
  if (range.length === length && range.live === live) return range;
  const grown = range.live ? Math.max(0, length - range.length) : 0;
  return { threadId, count: range.count + grown, length, live };
}

/**
 * The newest turns of the thread on screen, and a way to show older ones. A
 * replayed thread of hundreds of markdown turns then renders and lays out a
 * screenful when it opens, not all of them (tooling/bench/agent-long-history.ts);
 * the store still keeps every turn (TURN_STORE_LIMITS.turns).
 */
export function useTurnWindow<T>(turns: readonly T[], threadId: string | null, live: boolean) {
  const [range, setRange] = useState<TurnWindow>(() => ({
    threadId,
    count: TURN_WINDOW.first,
    length: turns.length,
    live,
  }));
  // Derived from the previous render (React's documented pattern): no effect, no extra paint with the wrong window.
  const next = nextTurnWindow(range, threadId, turns.length, live);
  if (next !== range) setRange(next);
  const hidden = Math.max(0, turns.length - next.count);
  return {
    shown: hidden > 0 ? turns.slice(hidden) : turns,
    hidden,
    showEarlier: () => setRange({ ...next, count: next.count + TURN_WINDOW.more }),
  };
}
