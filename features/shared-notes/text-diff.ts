/** One contiguous replacement: delete `remove` UTF-16 units at `index`, then insert `insert` there. */
export interface TextChange {
  index: number;
  remove: number;
  insert: string;
}

const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff;
const isLowSurrogate = (code: number) => code >= 0xdc00 && code <= 0xdfff;

/**
 * The smallest single replacement turning `before` into `after` (common prefix
 * and suffix kept). Never splits a surrogate pair, so an emoji is replaced
 * whole. Returns null when the texts are equal.
 */
export function diffText(before: string, after: string): TextChange | null {
  if (before === after) return null;
  const max = Math.min(before.length, after.length);
  let start = 0;
  while (start < max && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  if (start > 0 && isHighSurrogate(before.charCodeAt(start - 1))) start--;

  let end = 0;
  while (end < max - start && before.charCodeAt(before.length - 1 - end) === after.charCodeAt(after.length - 1 - end)) {
    end++;
  }
  if (end > 0 && isLowSurrogate(before.charCodeAt(before.length - end))) end--;

  return {
    index: start,
    remove: before.length - start - end,
    insert: after.slice(start, after.length - end),
  };
}

/** Where a caret at `position` ends up after `change`, so someone else's edit does not move your cursor. */
export function moveCaret(position: number, change: TextChange): number {
  if (position <= change.index) return position;
  if (position >= change.index + change.remove) return position - change.remove + change.insert.length;
  return change.index + change.insert.length;
}
