import { MeshSchema } from "@meshagent/meshagent";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { NOTES_MAX_LENGTH, notesDocument, readNotes, writeNotes } from "@/features/shared-notes/notes-document";
import type { RoomDocumentSession } from "@/lib/room/room-document";
import { linkedDocuments, settle } from "@/tooling/testing/linked-documents";
import { prng } from "@/tooling/testing/prng";

type Notes = RoomDocumentSession<typeof notesDocument.declaration>;

let linked: ReturnType<typeof linkedDocuments<typeof notesDocument.declaration>> | null = null;
function pair(): [Notes, Notes] {
  linked = linkedDocuments(notesDocument);
  const [a, b] = linked.sessions;
  return [a, b];
}
const text = (notes: Notes) => readNotes(notes.store.getState().read?.root ?? null);
const write = (notes: Notes, base: string, next: string) => notes.mutate(writeNotes(base, next));

beforeEach(() => {
  // The SDK logs every applied change.
  vi.spyOn(console, "log").mockImplementation(() => undefined);
});
afterEach(() => {
  linked?.dispose();
  linked = null;
  vi.restoreAllMocks();
});

describe("notes document", () => {
  it("has a schema the SDK reads and writes back unchanged", () => {
    const schema = MeshSchema.fromJson(notesDocument.schema.toJson());
    expect(schema.root.tagName).toBe("notes");
    expect(schema.root.childPropertyName).toBe("children");
    expect(schema.element("text").properties).toEqual([]);
    expect(schema.toJson()).toEqual(notesDocument.schema.toJson());
  });

  it("starts empty, gains a body on the first edit, and reads back what was written", () => {
    const [a] = pair();
    expect(text(a)).toBe("");
    write(a, "", "hello 👋 world");
    write(a, "hello 👋 world", "hello 👋 big world");
    write(a, "hello 👋 big world", "hi 👋 big world!");
    expect(text(a)).toBe("hi 👋 big world!");
    expect(linked?.docs[0].root.getChildren()).toHaveLength(1);
  });

  it("caps what is written at NOTES_MAX_LENGTH", () => {
    const [a] = pair();
    write(a, "", "x".repeat(NOTES_MAX_LENGTH + 50));
    write(a, text(a), `y${text(a)}`);
    expect(text(a)).toHaveLength(NOTES_MAX_LENGTH);
  });

  it("two writers editing at once converge, both edits kept (seeded random edits)", async () => {
    const [a, b] = pair();
    write(a, "", "shared start");
    await settle();
    expect(text(b)).toBe("shared start");

    const random = prng(10);
    const alphabet = ["a", "b", " ", "\n", "🙂", "é"];
    // Edits by whole characters, as a textarea makes them (never half an emoji).
    const edit = (before: string) => {
      const chars = Array.from(before);
      const at = Math.floor(random() * (chars.length + 1));
      const added = Array.from(
        { length: Math.floor(random() * 4) },
        () => alphabet[Math.floor(random() * alphabet.length)],
      );
      chars.splice(at, Math.floor(random() * 3), ...added);
      return chars.join("");
    };
    for (let round = 0; round < 60; round++) {
      const [textA, textB] = [text(a), text(b)];
      write(a, textA, edit(textA));
      write(b, textB, edit(textB));
      if (round % 7 === 0) await settle();
    }
    await settle();
    expect(text(a)).toBe(text(b));

    write(a, text(a), `${text(a)}|from a`);
    write(b, text(b), `from b|${text(b)}`);
    await settle();
    expect(text(a)).toBe(text(b));
    expect(text(a)).toMatch(/^from b\|[\s\S]*\|from a$/);
  });

  it("a keystroke made on text that others have changed since keeps their change (stale base)", async () => {
    const [a, b] = pair();
    write(a, "", "Agenda:\nBob: ");
    await settle();
    // Alice typed at the start; Bob's screen still shows the text before that when he types at the end.
    write(a, "Agenda:\nBob: ", "Al Agenda:\nBob: ");
    await settle();
    write(b, "Agenda:\nBob: ", "Agenda:\nBob: f");
    // Overlapping edits: Bob replaced "Agenda" while Alice's insert landed inside it.
    write(b, "Al Agenda:\nBob: f", "Al Plan:\nBob: f");
    write(a, "Al Agenda:\nBob: ", "Al Age!nda:\nBob: ");
    await settle();
    expect(text(a)).toBe(text(b));
    expect(text(a)).toMatch(/^Al .*Plan:\nBob: f$/);
  });

  it("reads only the first body when two people created one at the same time", async () => {
    const [a, b] = pair();
    write(a, "", "x");
    write(b, "", "y");
    await settle();
    expect(linked?.docs[0].root.getChildren()).toHaveLength(2);
    expect(text(a)).toBe(text(b));
    const first = text(a);
    write(b, first, `${first} typed by b`);
    await settle();
    expect(text(a)).toBe(`${first} typed by b`);
  });
});
