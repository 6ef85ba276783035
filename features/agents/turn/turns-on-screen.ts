import type { OpenThread, Turn } from "@/features/agents/turn/turn-state";

const NONE: readonly Turn[] = [];

/**
 * The turns the thread view renders. While a history replays (phase
 * `loading`, until thread.loaded), the turns it is rewriting are held back:
 * a replay of hundreds of turns then renders and lays out once, instead of
 * once per animation frame for as long as it streams in (measured by
 * tooling/bench/agent-long-history.ts). Turns the replay does not touch
 * (a reopen with `since_turn` after a reconnect) stay on screen.
 */
export function turnsOnScreen(thread: OpenThread | null): readonly Turn[] {
  if (!thread) return NONE;
  if (thread.phase !== "loading" || thread.replayed.length === 0) return thread.turns;
  const replaying = new Set(thread.replayed);
  const kept = thread.turns.filter((turn) => turn.turnId === null || !replaying.has(turn.turnId));
  return kept.length === 0 ? NONE : kept;
}
