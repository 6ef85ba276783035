import { describe, expect, it } from "vitest";
import { EMPTY_ROSTER, applyPresenceMessage, readAttribute, sortedParticipants, type Roster } from "@/lib/room/roster";
import { z } from "zod";

const ME = "me";
const enabled = (id: string, name: unknown, role = "user", extra: Record<string, unknown> = {}) => ({
  fromParticipantId: id,
  type: "participant.enabled",
  message: { id, role, attributes: { name, ...extra } },
});

function apply(roster: Roster, ...messages: Parameters<typeof applyPresenceMessage>[1][]): Roster {
  return messages.reduce((current, message) => applyPresenceMessage(current, message, ME), roster);
}

describe("applyPresenceMessage", () => {
  it("builds the roster from the enable answer and later joins and leaves", () => {
    let roster = apply(EMPTY_ROSTER, {
      fromParticipantId: ME,
      type: "messaging.enabled",
      message: {
        participants: [
          { id: "a", role: "user", attributes: { name: "Ada" } },
          { id: ME, role: "user" },
        ],
      },
    });
    roster = apply(roster, enabled("b", "Bob", "agent"));
    expect(sortedParticipants(roster).map((p) => [p.id, p.name, p.role])).toEqual([
      ["b", "Bob", "agent"],
      ["a", "Ada", "user"],
    ]);
    roster = apply(roster, { fromParticipantId: "a", type: "participant.disabled", message: { id: "a" } });
    expect([...roster.keys()]).toEqual(["b"]);
  });

  it("ignores presence about someone else (a spoofed join, leave, or enable answer)", () => {
    const roster = apply(EMPTY_ROSTER, enabled("a", "Ada"), enabled("v", "Victim"));
    const after = apply(
      roster,
      { fromParticipantId: "a", type: "participant.disabled", message: { id: "v" } },
      {
        fromParticipantId: "a",
        type: "participant.enabled",
        message: { id: "fake", role: "admin", attributes: { name: "Admin" } },
      },
      { fromParticipantId: "a", type: "messaging.enabled", message: { participants: [{ id: "x", role: "user" }] } },
    );
    expect(after).toBe(roster);
  });

  it("keeps the joined name and role when a participant re-announces or renames itself", () => {
    let roster = apply(EMPTY_ROSTER, enabled("a", "Mallory"));
    roster = apply(roster, enabled("a", "Victim", "admin"));
    roster = apply(roster, {
      fromParticipantId: "a",
      type: "participant.attributes",
      message: { attributes: { name: "Victim" } },
    });
    expect(roster.get("a")).toMatchObject({ name: "Mallory", role: "user", renamedTo: "Victim" });
    roster = apply(roster, {
      fromParticipantId: "a",
      type: "participant.attributes",
      message: { attributes: { name: "Mallory" } },
    });
    expect(roster.get("a")?.renamedTo).toBeNull();
  });

  it("never throws on hostile values, and renders a safe name", () => {
    const hostile: unknown[] = [{ toString: 1 }, 42, null, ["x"], "\u202Eevil\u202C", "a\nb", "x".repeat(10_000), ""];
    for (const name of hostile) {
      const roster = apply(EMPTY_ROSTER, enabled("a", name));
      const shown = roster.get("a")!.name;
      expect(typeof shown).toBe("string");
      expect(shown).not.toMatch(/[\u202a-\u202e\n]/);
      expect([...new Intl.Segmenter().segment(shown)].length).toBeLessThanOrEqual(41);
    }
  });

  it("survives random garbage (seeded fuzz)", () => {
    let seed = 42;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const pick = <T>(items: T[]) => items[Math.floor(random() * items.length)];
    const values = (): unknown =>
      pick<unknown>([
        null,
        undefined,
        1,
        "a",
        ME,
        "p1",
        {},
        [],
        { toString: 1 },
        { id: "p1" },
        [{ id: "p2" }],
        "x".repeat(300),
      ]);
    let roster: Roster = EMPTY_ROSTER;
    for (let i = 0; i < 5000; i++) {
      const message = {
        fromParticipantId: pick([ME, "p1", "p2", 7, null]),
        type: pick([
          "messaging.enabled",
          "participant.enabled",
          "participant.disabled",
          "participant.attributes",
          "other",
        ]),
        message: pick([
          values(),
          { id: pick(["p1", "p2", values()]), role: values(), attributes: pick([values(), { name: values() }]) },
          { participants: pick([values(), [values(), { id: "p2", role: "user", attributes: {} }]]) },
          { attributes: pick([values(), { name: values(), status: values() }]) },
        ]),
      };
      roster = applyPresenceMessage(roster, message, ME);
      for (const participant of roster.values()) expect(typeof participant.name).toBe("string");
    }
  });
});

describe("readAttribute", () => {
  it("returns the parsed value, or undefined when it does not match", () => {
    const roster = apply(EMPTY_ROSTER, enabled("a", "Ada", "user", { "presence.hand": true, bad: { toString: 1 } }));
    const ada = roster.get("a")!;
    expect(readAttribute(ada, "presence.hand", z.boolean())).toBe(true);
    expect(readAttribute(ada, "bad", z.string())).toBeUndefined();
    expect(readAttribute(ada, "missing", z.string())).toBeUndefined();
    expect(readAttribute(ada, "constructor", z.unknown())).toBeUndefined();
  });
});
