import { describe, expect, it } from "vitest";
import { paceMs } from "./use-paced-text";

describe("paceMs", () => {
  it("paints a short streaming answer every frame, a long one less often, never slower than 150 ms", () => {
    // 16.1: the first words of an answer are painted at once
    expect(paceMs(0)).toBe(0);
    expect(paceMs(2_000)).toBe(10);
    expect(paceMs(10_000)).toBe(50);
    expect(paceMs(30_000)).toBe(150);
    // the answer keeps moving however long it gets
    expect(paceMs(1_000_000)).toBe(150);
  });
});
