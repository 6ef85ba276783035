import { describe, expect, it } from "vitest";
import { backoffDelay } from "@/lib/shared/backoff";

describe("backoffDelay", () => {
  it("doubles from 0.5 s and caps at 30 s (upper bound, random = 1)", () => {
    const max = (attempt: number) => backoffDelay(attempt, { random: () => 0.999999 });
    expect([1, 2, 3, 4, 5, 6, 7, 8].map(max)).toEqual([500, 1000, 2000, 4000, 8000, 16000, 30000, 30000]);
    expect(max(1000)).toBe(30000);
  });

  it("never waits less than half the ceiling (lower bound, random = 0)", () => {
    const min = (attempt: number) => backoffDelay(attempt, { random: () => 0 });
    expect([1, 2, 3, 7].map(min)).toEqual([250, 500, 1000, 15000]);
  });

  it("spreads clients out: different random draws give different delays within the bounds", () => {
    const delays = new Set(Array.from({ length: 50 }, () => backoffDelay(4)));
    expect(delays.size).toBeGreaterThan(10);
    for (const delay of delays) {
      expect(delay).toBeGreaterThanOrEqual(2000);
      expect(delay).toBeLessThanOrEqual(4000);
    }
  });

  it("treats attempt 0 or negative like the first attempt", () => {
    expect(backoffDelay(0, { random: () => 0 })).toBe(250);
    expect(backoffDelay(-3, { random: () => 0 })).toBe(250);
  });
});
