import { jsonLength } from "@/lib/shared/agent-turn/fields";
import type { InputContent, ToolResult } from "@/lib/shared/agent-turn/content";
import {
  TURN_STORE_LIMITS as LIMITS,
  type OpenThread,
  type Turn,
  type TurnItem,
} from "@/features/agents/turn/turn-state";

/**
 * How many characters a turn holds, kept up to date as the reducer changes
 * it, so the page can hold an agent to its character caps without
 * re-measuring every turn on every event: only what changed is measured.
 */

// A result object is never changed once parsed, and an item copy keeps it: measure it once.
const resultSizes = new WeakMap<object, number>();

/** JSON text length of a tool's result (cached per result object). */
export function resultChars(result: ToolResult): number {
  let size = resultSizes.get(result);
  if (size === undefined) {
    size = jsonLength(result);
    resultSizes.set(result, size);
  }
  return size;
}

function inputChars(content: readonly InputContent[]): number {
  let size = 0;
  for (const item of content) size += item.type === "text" ? item.text.length : item.url.length;
  return size;
}

function itemChars(item: TurnItem): number {
  switch (item.kind) {
    case "text":
    case "reasoning":
      return item.text.length;
    case "file":
      return item.url.length;
    case "tool": {
      let size = item.toolkit.length + item.tool.length + item.args.length + (item.error?.length ?? 0);
      for (const line of item.logs) size += line.text.length;
      return item.result ? size + resultChars(item.result) : size;
    }
  }
}

/** The sum of `measure` over the entries of `after` that are not in `before` (by identity), minus the reverse. */
function changedChars<T>(before: readonly T[], after: readonly T[], measure: (entry: T) => number): number {
  if (before === after) return 0;
  const old = new Set(before);
  const kept = new Set<T>();
  let delta = 0;
  for (const entry of after) {
    if (old.has(entry)) kept.add(entry);
    else delta += measure(entry);
  }
  for (const entry of before) if (!kept.has(entry)) delta -= measure(entry);
  return delta;
}

/** A new turn's characters (its input). */
export function newTurnChars(input: readonly InputContent[]): number {
  return inputChars(input);
}

/**
 * `after` with its character count, measured from `before` (the turn as
 * stored) by what changed. When the change would take the turn past its cap,
 * the turn stays as it was, marked cut: what grows it is dropped, whatever
 * only changes its state (ended, stopped) is kept because it does not grow it.
 */
export function sizedTurn(before: Turn, after: Turn): Turn {
  if (before === after) return after;
  const chars =
    before.chars +
    (after.input === before.input ? 0 : inputChars(after.input) - inputChars(before.input)) +
    changedChars(before.steers, after.steers, inputChars) +
    changedChars(before.items, after.items, itemChars);
  if (chars > LIMITS.turnChars && chars > before.chars) return before.cut ? before : { ...before, cut: true };
  return after.chars === chars ? after : { ...after, chars };
}

export function threadChars(thread: OpenThread): number {
  let size = 0;
  for (const turn of thread.turns) size += turn.chars;
  return size;
}
