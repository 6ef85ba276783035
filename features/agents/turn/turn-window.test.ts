import { describe, expect, it } from "vitest";
import { nextTurnWindow, TURN_WINDOW, type TurnWindow } from "@/features/agents/turn/turn-window";

const opened: TurnWindow = { threadId: "a", count: TURN_WINDOW.first, length: 0, live: false };

describe("the turns a thread shows", () => {
  it("a replayed history shows its newest turns only; live turns after it widen the window", () => {
    // 500 replayed turns appear at once when the history has loaded.
    let range = nextTurnWindow(opened, "a", 500, true);
    expect(range.count).toBe(TURN_WINDOW.first);
    // Two live turns: the 20 shown before stay on screen.
    range = nextTurnWindow(range, "a", 501, true);
    range = nextTurnWindow(range, "a", 502, true);
    expect(range.count).toBe(TURN_WINDOW.first + 2);
    expect(nextTurnWindow(range, "a", 502, true)).toBe(range);
  });

  it("turns that arrive while the history loads do not widen it; another thread starts again", () => {
    const loading = nextTurnWindow(opened, "a", 40, false);
    expect(loading.count).toBe(TURN_WINDOW.first);
    const wide = { ...nextTurnWindow(loading, "a", 40, true), count: 70 };
    expect(nextTurnWindow(wide, "b", 300, false)).toEqual({
      threadId: "b",
      count: TURN_WINDOW.first,
      length: 300,
      live: false,
    });
  });
});
