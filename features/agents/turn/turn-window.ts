"use client";

import { useState } from "react";

/** Turns a thread shows when it opens; older ones come on request, this many at a time. */
export const TURN_WINDOW = { first: 20, more: 50 } as const;

/**
 * The newest turns of the thread on screen, and a way to show older ones. A
 * replayed thread of hundreds of markdown turns then renders and lays out a
 * screenful when it opens, not all of them (tooling/bench/agent-long-history.ts);
 * the store still keeps every turn (TURN_STORE_LIMITS.turns). Opening another
 * thread starts again from the newest.
 */
export function useTurnWindow<T>(turns: readonly T[], threadId: string | null) {
  const [range, setRange] = useState({ threadId, count: TURN_WINDOW.first as number });
  const count = range.threadId === threadId ? range.count : TURN_WINDOW.first;
  const hidden = Math.max(0, turns.length - count);
  return {
    shown: hidden > 0 ? turns.slice(hidden) : turns,
    hidden,
    showEarlier: () => setRange({ threadId, count: count + TURN_WINDOW.more }),
  };
}
