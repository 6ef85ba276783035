import { describe, expect, it } from "vitest";
import { diffText, moveCaret } from "@/features/shared-notes/text-diff";
import { prng } from "@/tooling/testing/prng";

const apply = (text: string, change: ReturnType<typeof diffText>) =>
  change ? text.slice(0, change.index) + change.insert + text.slice(change.index + change.remove) : text;

describe("diffText", () => {
  it("finds the one replacement between two texts", () => {
    expect(diffText("same", "same")).toBeNull();
    expect(diffText("hello world", "hello big world")).toEqual({ index: 6, remove: 0, insert: "big " });
    expect(diffText("hello big world", "hello world")).toEqual({ index: 6, remove: 4, insert: "" });
    expect(diffText("", "abc")).toEqual({ index: 0, remove: 0, insert: "abc" });
    expect(diffText("aaa", "aa")).toEqual({ index: 2, remove: 1, insert: "" });
  });

  it("never splits a surrogate pair", () => {
    // 😀 and 😃 share their high surrogate; the change must still cover the whole emoji.
    expect(diffText("a😀b", "a😃b")).toEqual({ index: 1, remove: 2, insert: "😃" });
    expect(diffText("😀", "😀😀")).toMatchObject({ remove: 0, insert: "😀" });
  });

  it("turns any text into any other (seeded)", () => {
    const random = prng(7);
    const alphabet = ["a", "b", "\n", "😀", "😃", "é"];
    const text = () =>
      Array.from({ length: Math.floor(random() * 8) }, () => alphabet[Math.floor(random() * 6)]).join("");
    for (let i = 0; i < 2000; i++) {
      const [before, after] = [text(), text()];
      const change = diffText(before, after);
      expect(apply(before, change)).toBe(after);
      if (change) expect(change.insert).not.toMatch(/^[\udc00-\udfff]|[\ud800-\udbff]$/);
    }
  });
});

describe("moveCaret", () => {
  const change = { index: 5, remove: 2, insert: "xyz" };
  it("keeps a caret before the change, shifts one after it, and puts one inside at its end", () => {
    expect(moveCaret(3, change)).toBe(3);
    expect(moveCaret(5, change)).toBe(5);
    expect(moveCaret(10, change)).toBe(11);
    expect(moveCaret(6, change)).toBe(8);
  });
});
