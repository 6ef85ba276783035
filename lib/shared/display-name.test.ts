import { describe, expect, it } from "vitest";
import { DISPLAY_NAME_MAX_LENGTH, graphemeLength, parseDisplayName } from "@/lib/shared/display-name";

describe("display names", () => {
  it.each(["Ada", "Ada Lovelace", "李小龍", "José", "👩‍👩‍👧‍👦 family", "🏴󠁧󠁢󠁳󠁣󠁴󠁿 Scot", "👍🏽"])("accepts %j", (name) => {
    expect(parseDisplayName(name)).toEqual({ ok: true, name });
  });

  it("counts characters as a reader does: 40 ZWJ emoji families fit, 41 do not", () => {
    const family = "👩‍👩‍👧‍👦";
    expect(graphemeLength(family)).toBe(1);
    expect(parseDisplayName(family.repeat(4)).ok).toBe(true);
    expect(parseDisplayName("a".repeat(DISPLAY_NAME_MAX_LENGTH)).ok).toBe(true);
    expect(parseDisplayName("a".repeat(DISPLAY_NAME_MAX_LENGTH + 1))).toEqual({
      ok: false,
      reason: "too_long",
      message: "Display names are at most 40 characters.",
    });
  });

  it("bounds a character stacked with marks", () => {
    expect(parseDisplayName(`a${"\u0301".repeat(500)}`).ok).toBe(false);
  });

  it("trims and normalises to NFC", () => {
    expect(parseDisplayName("  Jose\u0301  ")).toEqual({ ok: true, name: "José" });
  });

  it.each([
    ["empty", "   ", "Enter a display name."],
    ["a line feed", "Ada\nLovelace", "Display names must be on one line."],
    ["U+2028", "Ada\u2028Lovelace", "Display names must be on one line."],
    ["U+2029", "Ada\u2029Lovelace", "Display names must be on one line."],
    ["a right-to-left override", "Eve\u202Egnp.exe", "Display names cannot contain text-direction control characters."],
    ["a bidi isolate", "Eve\u2067x", "Display names cannot contain text-direction control characters."],
    ["a left-to-right mark", "Eve\u200E", "Display names cannot contain text-direction control characters."],
    ["a tab", "Ada\tL", "Display names cannot contain control or invisible characters."],
    ["a NUL", "Ada\u0000", "Display names cannot contain control or invisible characters."],
    ["a zero-width space", "Ad\u200Ba", "Display names cannot contain control or invisible characters."],
    ["a lone surrogate", "Ada\uD800", "Display names cannot contain control or invisible characters."],
  ])("refuses %s with a clear message", (_label, name, message) => {
    expect(parseDisplayName(name)).toMatchObject({ ok: false, message });
  });

  it("refuses what is not a string", () => {
    expect(parseDisplayName(undefined).ok).toBe(false);
    expect(parseDisplayName({ toString: () => "Ada" }).ok).toBe(false);
  });
});
