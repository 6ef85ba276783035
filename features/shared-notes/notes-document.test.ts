import { applyBackendChanges, MeshDocument, MeshSchema } from "@meshagent/meshagent";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  ensureNotesBody,
  NOTES_MAX_LENGTH,
  NOTES_SCHEMA_JSON,
  readNotes,
  writeNotes,
} from "@/features/shared-notes/notes-document";
import { prng } from "@/tooling/testing/prng";

/**
 * Two real MeshDocuments (the SDK's runtime, Yjs inside) joined in-process the
 * way the room joins them: each one's updates are applied to the other a tick
 * later, as a network would deliver them.
 */
function pair() {
  const docs: MeshDocument[] = [];
  const link = (to: () => MeshDocument) => (base64: string) =>
    setTimeout(() => {
      if (!disposed.has(to())) applyBackendChanges(to().id, base64);
    }, 0);
  docs.push(
    new MeshDocument({ schema: MeshSchema.fromJson(NOTES_SCHEMA_JSON), sendChangesToBackend: link(() => docs[1]) }),
  );
  docs.push(
    new MeshDocument({ schema: MeshSchema.fromJson(NOTES_SCHEMA_JSON), sendChangesToBackend: link(() => docs[0]) }),
  );
  return docs as [MeshDocument, MeshDocument];
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

let docs: MeshDocument[] = [];
const disposed = new Set<MeshDocument>();
beforeEach(() => {
  // The SDK logs every applied change.
  vi.spyOn(console, "log").mockImplementation(() => undefined);
});
afterEach(() => {
  for (const doc of docs) {
    disposed.add(doc);
    doc.dispose();
  }
  docs = [];
  vi.restoreAllMocks();
});

describe("notes document", () => {
  it("has a schema the SDK reads and writes back unchanged", () => {
    const schema = MeshSchema.fromJson(NOTES_SCHEMA_JSON);
    expect(schema.root.tagName).toBe("notes");
    expect(schema.root.childPropertyName).toBe("body");
    expect(schema.element("text").properties).toEqual([]);
    expect(schema.toJson()).toEqual(NOTES_SCHEMA_JSON);
  });

  it("starts empty, gains a body once, and reads back what was written", () => {
    const [a] = (docs = pair());
    expect(readNotes(a)).toBe("");
    ensureNotesBody(a);
    ensureNotesBody(a);
    expect(a.root.getChildren()).toHaveLength(1);
    writeNotes(a, "", "hello 👋 world");
    writeNotes(a, "hello 👋 world", "hello 👋 big world");
    writeNotes(a, "hello 👋 big world", "hi 👋 big world!");
    expect(readNotes(a)).toBe("hi 👋 big world!");
  });

  it("caps what is written at NOTES_MAX_LENGTH", () => {
    const [a] = (docs = pair());
    writeNotes(a, "", "x".repeat(NOTES_MAX_LENGTH + 50));
    writeNotes(a, readNotes(a), `y${readNotes(a)}`);
    expect(readNotes(a)).toHaveLength(NOTES_MAX_LENGTH);
  });

  it("two writers editing at once converge, both edits kept (seeded random edits)", async () => {
    const [a, b] = (docs = pair());
    ensureNotesBody(a);
    await settle();
    writeNotes(a, "", "shared start");
    await settle();
    expect(readNotes(b)).toBe("shared start");

    const random = prng(10);
    const alphabet = ["a", "b", " ", "\n", "🙂", "é"];
    // Edits by whole characters, as a textarea makes them (never half an emoji).
    const edit = (text: string) => {
      const chars = Array.from(text);
      const at = Math.floor(random() * (chars.length + 1));
      const added = Array.from(
        { length: Math.floor(random() * 4) },
        () => alphabet[Math.floor(random() * alphabet.length)],
      );
      chars.splice(at, Math.floor(random() * 3), ...added);
      return chars.join("");
    };
    for (let round = 0; round < 60; round++) {
      const [textA, textB] = [readNotes(a), readNotes(b)];
      writeNotes(a, textA, edit(textA));
      writeNotes(b, textB, edit(textB));
      if (round % 7 === 0) await settle();
    }
    await settle();
    expect(readNotes(a)).toBe(readNotes(b));

    writeNotes(a, readNotes(a), `${readNotes(a)}|from a`);
    writeNotes(b, readNotes(b), `from b|${readNotes(b)}`);
    await settle();
    expect(readNotes(a)).toBe(readNotes(b));
    expect(readNotes(a)).toMatch(/^from b\|[\s\S]*\|from a$/);
  });

  it("a keystroke made on text that others have changed since keeps their change (stale base)", async () => {
    const [a, b] = (docs = pair());
    writeNotes(a, "", "Agenda:\nBob: ");
    await settle();
    // Alice typed at the start; Bob's screen still shows the text before that when he types at the end.
    writeNotes(a, "Agenda:\nBob: ", "Al Agenda:\nBob: ");
    await settle();
    writeNotes(b, "Agenda:\nBob: ", "Agenda:\nBob: f");
    // Overlapping edits: Bob replaced "Agenda" while Alice's insert landed inside it.
    writeNotes(b, "Al Agenda:\nBob: f", "Al Plan:\nBob: f");
    writeNotes(a, "Al Agenda:\nBob: ", "Al Age!nda:\nBob: ");
    await settle();
    expect(readNotes(a)).toBe(readNotes(b));
    expect(readNotes(a)).toMatch(/^Al .*Plan:\nBob: f$/);
  });

  it("reads only the first body when two people created one at the same time", async () => {
    const [a, b] = (docs = pair());
    ensureNotesBody(a);
    ensureNotesBody(b);
    await settle();
    expect(a.root.getChildren()).toHaveLength(2);
    writeNotes(a, "", "typed by a");
    await settle();
    expect(readNotes(b)).toBe("typed by a");
  });
});
