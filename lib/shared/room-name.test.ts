import { describe, expect, it } from "vitest";
import { normalizeRoomInput, parseRoomName } from "@/lib/shared/room-name";

describe("room names", () => {
  it.each(["lobby", "a", "design-review", "team_42", "0day", "a".repeat(64)])("accepts %s", (room) => {
    expect(parseRoomName(room)).toEqual({ ok: true, room });
  });

  it.each(["", "Lobby", "-x", "_x", "a b", "a/b", "..", "%2F", "é", "a".repeat(65), undefined, 42])(
    "rejects %j",
    (room) => {
      expect(parseRoomName(room).ok).toBe(false);
    },
  );

  it("normalizes what people type", () => {
    expect(normalizeRoomInput("  Design Review ")).toBe("design-review");
  });
});
