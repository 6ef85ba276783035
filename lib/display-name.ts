/**
 * Names that come from other participants are untrusted: they may carry
 * right-to-left overrides, line breaks or thousands of characters. Every name
 * the room shows goes through here first.
 */

export const DISPLAY_NAME_MAX_GRAPHEMES = 40;
export const UNNAMED = "Unnamed participant";

// C0/C1 controls, bidi embeddings/overrides/isolates and marks, line and
// paragraph separators, zero-width no-break space. ZWJ (U+200D) stays: emoji need it.
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ufeff]/g;

const segmenter = typeof Intl !== "undefined" && "Segmenter" in Intl ? new Intl.Segmenter() : null;

/** Splits into user-perceived characters, so an emoji family counts once. */
export function graphemes(text: string): string[] {
  if (segmenter) return Array.from(segmenter.segment(text), (segment) => segment.segment);
  return Array.from(text);
}

/** A name safe to render: one line, no direction tricks, at most 40 characters; null if nothing is left. */
export function normalizeDisplayName(value: unknown): string | null {
  if (typeof value !== "string") return null;
  const cleaned = value.normalize("NFC").replace(UNSAFE, " ").replace(/\s+/g, " ").trim();
  if (!cleaned) return null;
  const parts = graphemes(cleaned);
  return parts.length <= DISPLAY_NAME_MAX_GRAPHEMES
    ? cleaned
    : `${parts.slice(0, DISPLAY_NAME_MAX_GRAPHEMES).join("")}…`;
}
