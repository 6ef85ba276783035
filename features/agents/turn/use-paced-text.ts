"use client";

import { useEffect, useRef, useState } from "react";

/** The longest pause between two paints of a streaming text. */
const MAX_PACE_MS = 150;

/**
 * How often a streaming text is painted: every frame while it is short, less
 * often as it grows, because each paint parses and lays out the whole answer
 * again (a 30,000-character answer took 50-1,000 ms main-thread tasks when
 * painted every frame: tooling/bench/agent-long-answer.ts). About one
 * millisecond of pause per 200 characters, at most 150 ms.
 */
export function paceMs(length: number): number {
  return Math.min(MAX_PACE_MS, Math.floor(length / 200));
}

/**
 * `text` as it should be painted now: while `streaming`, the newest text at
 * most once per paceMs(text.length); once it is done, at once.
 */
export function usePacedText(text: string, streaming: boolean): string {
  const [painted, setPainted] = useState(text);
  const paintedAt = useRef(0);

  useEffect(() => {
    if (!streaming) return;
    const wait = paintedAt.current + paceMs(text.length) - performance.now();
    const timer = setTimeout(
      () => {
        paintedAt.current = performance.now();
        setPainted(text);
      },
      Math.max(0, wait),
    );
    return () => clearTimeout(timer);
  }, [text, streaming]);

  return streaming ? painted : text;
}
