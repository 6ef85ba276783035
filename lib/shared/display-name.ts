/** What people see: at most this many characters as a reader counts them (an emoji family is one). */
export const DISPLAY_NAME_MAX_LENGTH = 40;
/** A bound in UTF-16 units too, so a "character" stacked with marks cannot grow without limit. */
export const DISPLAY_NAME_MAX_UNITS = 160;

// Made on first use: building one loads the engine's break-iterator data, which would otherwise
// delay every page that merely imports this module (the room page among them) before it can connect.
let graphemes: Intl.Segmenter | undefined;
function segmenter(): Intl.Segmenter {
  graphemes ??= new Intl.Segmenter(undefined, { granularity: "grapheme" });
  return graphemes;
}

export function graphemeLength(value: string): number {
  let count = 0;
  for (const _ of segmenter().segment(value)) count += 1;
  return count;
}

const LINE_BREAKS = /[\n\r\u0085\u2028\u2029]/u;
/** Marks that reorder the text around them: "Eve\u202Egnp.exe" would read as "Eveexe.png". */
const BIDI_CONTROLS = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/u;
/**
 * Other invisible format and control characters. ZWJ/ZWNJ and the tag
 * characters stay allowed: emoji sequences (👩‍👩‍👧, 🏴 flags) are built from them.
 */
const INVISIBLE = /(?![\u200C\u200D\u{E0020}-\u{E007F}])[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}]/u;

/** Why a name was refused, as a code a URL can carry, and what to tell the person. */
export const DISPLAY_NAME_ERRORS = {
  empty: "Enter a display name.",
  multiline: "Display names must be on one line.",
  bidi: "Display names cannot contain text-direction control characters.",
  invisible: "Display names cannot contain control or invisible characters.",
  too_long: `Display names are at most ${DISPLAY_NAME_MAX_LENGTH} characters.`,
} as const;

type DisplayNameError = keyof typeof DISPLAY_NAME_ERRORS;

function problem(name: string): DisplayNameError | null {
  if (name.length === 0) return "empty";
  if (LINE_BREAKS.test(name)) return "multiline";
  if (BIDI_CONTROLS.test(name)) return "bidi";
  if (INVISIBLE.test(name)) return "invisible";
  if (graphemeLength(name) > DISPLAY_NAME_MAX_LENGTH || name.length > DISPLAY_NAME_MAX_UNITS) return "too_long";
  return null;
}

/** A display name for dev sign-in: trimmed, NFC, 1–40 characters, no line breaks or invisible controls. */
export function parseDisplayName(
  value: unknown,
): { ok: true; name: string } | { ok: false; reason: DisplayNameError; message: string } {
  if (typeof value !== "string") return { ok: false, reason: "empty", message: DISPLAY_NAME_ERRORS.empty };
  const name = value.normalize("NFC").trim();
  const reason = problem(name);
  if (reason) return { ok: false, reason, message: DISPLAY_NAME_ERRORS[reason] };
  return { ok: true, name };
}

export const UNNAMED = "Unnamed participant";

// Built on first use, like the segmenter: parsing its Unicode property classes costs the importing page time.
let unsafeGlobal: RegExp | undefined;
function unsafeCharacters(): RegExp {
  unsafeGlobal ??= new RegExp(`${LINE_BREAKS.source}|${BIDI_CONTROLS.source}|${INVISIBLE.source}`, "gu");
  return unsafeGlobal;
}

/**
 * `value` without line breaks, direction controls or invisible characters
 * (zero-width spaces, word joiners, …), each replaced by `replacement`. The
 * one definition of "unsafe to show" for names people give things: display
 * names and attachment names.
 */
export function withoutUnsafeCharacters(value: string, replacement: string): string {
  return value.replace(unsafeCharacters(), replacement);
}

/**
 * A name that arrived from another participant, made safe to render: one
 * line, no direction tricks or invisible characters, at most
 * DISPLAY_NAME_MAX_LENGTH characters; null if nothing is left. The sign-in
 * rules above refuse such names; names from the room can only be cleaned.
 */
export function normalizeDisplayName(value: unknown): string | null {
  if (typeof value !== "string") return null;
  const cleaned = withoutUnsafeCharacters(value.slice(0, 4 * DISPLAY_NAME_MAX_UNITS).normalize("NFC"), " ")
    .replace(/\s+/g, " ")
    .trim();
  if (!cleaned) return null;
  const characters = Array.from(segmenter().segment(cleaned), (part) => part.segment);
  if (characters.length <= DISPLAY_NAME_MAX_LENGTH && cleaned.length <= DISPLAY_NAME_MAX_UNITS) return cleaned;
  return `${characters.slice(0, DISPLAY_NAME_MAX_LENGTH).join("").slice(0, DISPLAY_NAME_MAX_UNITS)}…`;
}
