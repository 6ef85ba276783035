// Issue 19 M1 and 18 §4 in the local room: a participant with the normal
// notes grant sends valid Yjs updates that put content a MeshDocument cannot
// hold into the notes (ContentAny, ContentBinary, embeds, object attributes,
// undeclared tags, ...), or updates whose dependencies the room does not have.
// Each is refused to its sender only; nothing is applied, relayed or saved,
// and every SDK client (open before, opening after, after a restart) still
// reads the document.

import * as Y from "yjs";
import { beforeEach, describe, expect, it } from "vitest";
import type { MeshDocument } from "@meshagent/meshagent";
import { sdkToken, useHarness, waitFor, withTimeout } from "./test-helpers";
import { notesOf, notesSchema } from "../testing/notes-document";
import { mirrorOf, openRaw, refusalOf, sendUpdate, silenceSyncLog, type RawStream } from "./sync-test-helpers";

const h = useHarness({ start: false, dataDir: "dev-room-sync-content-" });
beforeEach(silenceSyncLog);

const DOC = "notes/shared.notes";

/** What a hostile client does to its copy of the document; the update is the difference. */
type Poison = (root: Y.XmlElement, doc: Y.Doc) => void;

// Yjs's typings only admit XML nodes; a hostile client is not bound by them.
const anyInsert = (target: Y.XmlElement | Y.XmlText, index: number, content: unknown[]): void =>
  (target as unknown as { insert(i: number, c: unknown[]): void }).insert(index, content);
const firstNote = (root: Y.XmlElement): Y.XmlElement => root.get(0) as Y.XmlElement;

const POISONS: [string, Poison, RegExp][] = [
  ["a number in the root (ContentAny)", (root) => anyInsert(root, 0, [42]), /JSON value \(number\) as a child/],
  ["a number after an existing note", (root) => anyInsert(root, 1, [42]), /JSON value \(number\) as a child/],
  ["a string as a child", (root) => anyInsert(root, 0, ["x"]), /JSON value \(string\) as a child/],
  ["binary data (ContentBinary)", (root) => anyInsert(root, 0, [new Uint8Array([1, 2, 3])]), /binary data/],
  ["a sub-document (ContentDoc)", (root) => anyInsert(root, 0, [new Y.Doc()]), /sub-document/],
  ["a map type", (root) => anyInsert(root, 0, [new Y.Map()]), /shared type other than/],
  ["an object attribute", (root) => firstNote(root).setAttribute("text", { evil: 1 } as never), /attribute "text"/],
  ["an array attribute", (root) => firstNote(root).setAttribute("text", [1, 2] as never), /attribute "text"/],
  [
    "a binary attribute",
    (root) => firstNote(root).setAttribute("extra", new Uint8Array([1]) as never),
    /attribute "extra" is set to binary/,
  ],
  [
    "a type as attribute",
    (root) => firstNote(root).setAttribute("extra", new Y.XmlText() as never),
    /attribute "extra"/,
  ],
  ["an element the schema does not declare", (root) => root.insert(0, [new Y.XmlElement("script")]), /<script>/],
  [
    "an embed in a text (ContentEmbed)",
    (root) => {
      const text = new Y.XmlText();
      root.insert(0, [text]);
      text.insertEmbed(0, { image: "x" });
    },
    /an embed into a text/,
  ],
  [
    "a type embedded in a text",
    (root) => {
      const text = new Y.XmlText();
      root.insert(0, [text]);
      text.insertEmbed(0, new Y.XmlText());
    },
    /shared type into a text/,
  ],
  [
    "an object-valued format (ContentFormat)",
    (root) => {
      const text = new Y.XmlText();
      root.insert(0, [text]);
      text.insert(0, "hi", { bold: { nested: true } });
    },
    /text format "bold"/,
  ],
  [
    "an attribute on a text node",
    (root) => {
      const text = new Y.XmlText();
      root.insert(0, [text]);
      text.setAttribute("a", "b");
    },
    /attribute "a" on a text node/,
  ],
  ["another root type", (_root, doc) => doc.getMap("other").set("k", 1), /unexpected root type "other"/],
];

/** The hostile update: what `poison` changes, relative to the state the raw stream received. */
function poisonUpdate(stream: RawStream, poison: Poison): Uint8Array {
  const mirror = mirrorOf(stream);
  const before = Y.encodeStateVector(mirror);
  poison(mirror.get("xml", Y.XmlElement), mirror);
  return Y.encodeStateAsUpdate(mirror, before);
}

async function hostileStream(name: string): Promise<RawStream> {
  const raw = await h.raw(await sdkToken({ name }));
  return openRaw(raw, DOC, null);
}

describe("content a MeshDocument cannot hold", () => {
  it("is refused to the sender only: nothing applied, relayed or saved; every client still opens the notes", async () => {
    await h.start({ syncSaveDelayMs: 10 });
    const alice = await h.join("alice", { enable: false });
    const bob = await h.join("bob", { enable: false });
    const a = await alice.sync.open(DOC, { schema: notesSchema() });
    const b = await bob.sync.open(DOC);
    a.root.createChildElement("note", { text: "before" });
    await waitFor(() => notesOf(b).length === 1, "bob sees the first note");

    for (const [what, poison, expected] of POISONS) {
      const stream = await hostileStream(`mallory ${what}`);
      const error = await refusalOf(stream, poisonUpdate(stream, poison));
      expect(error, what).toMatch(/^malformed sync update: /);
      expect(error, what).toMatch(expected);
    }

    // Honest edits still flow both ways, and nobody received any of the poison.
    a.root.createChildElement("note", { text: "after" });
    await waitFor(() => notesOf(b).length === 2, "bob sees the next note");
    expect(notesOf(b)).toEqual(["before", "after"]);
    expect(notesOf(a)).toEqual(["before", "after"]);

    // A late joiner opens it, and so does everyone after a restart (what was saved is clean).
    const carol = await h.join("carol", { enable: false });
    expect(notesOf(await withTimeout(carol.sync.open(DOC), 2000, "carol opens"))).toEqual(["before", "after"]);
    await h.cleanup();
    await h.start();
    const dave = await h.join("dave", { enable: false });
    expect(notesOf(await withTimeout(dave.sync.open(DOC), 2000, "open after restart"))).toEqual(["before", "after"]);
  });

  it("accepts what a MeshDocument holds: primitive attributes, text with primitive formats, nested elements", async () => {
    await h.start();
    const alice = await h.join("alice", { enable: false });
    const a = await alice.sync.open(DOC, { schema: notesSchema() });
    const stream = await hostileStream("honest-raw");
    await sendUpdate(
      stream,
      poisonUpdate(stream, (root) => {
        const note = new Y.XmlElement("note");
        note.setAttribute("$id", "n1");
        note.setAttribute("text", "typed by hand");
        note.setAttribute("count", 3 as never);
        note.setAttribute("done", true as never);
        root.insert(0, [note]);
        const text = new Y.XmlText();
        note.insert(0, [text]);
        text.insert(0, "hello", { bold: true, color: "red" });
      }),
    );
    await waitFor(() => notesOf(a).length === 1, "alice gets the note");
    expect(notesOf(a)).toEqual(["typed by hand"]);
    expect(stream.chunks.some((c) => c.header.type === "error")).toBe(false);
  });
});

describe("updates Yjs cannot integrate (18 §4)", () => {
  it("are refused to the sender with a resync hint; once the missing change arrives, both apply", async () => {
    await h.start();
    const alice = await h.join("alice", { enable: false });
    const a: MeshDocument = await alice.sync.open(DOC, { schema: notesSchema() });
    a.root.createChildElement("note", { text: "base" });
    await waitFor(() => notesOf(a).length === 1, "alice's note");

    const stream = await hostileStream("offline-editor");
    const mirror = mirrorOf(stream);
    const root = mirror.get("xml", Y.XmlElement);
    const sv0 = Y.encodeStateVector(mirror);
    const first = new Y.XmlElement("note");
    first.setAttribute("text", "first");
    root.insert(1, [first]);
    const firstUpdate = Y.encodeStateAsUpdate(mirror, sv0);
    const sv1 = Y.encodeStateVector(mirror);
    const second = new Y.XmlElement("note");
    second.setAttribute("text", "second");
    root.insert(2, [second]);
    const secondUpdate = Y.encodeStateAsUpdate(mirror, sv1);
    const sv2 = Y.encodeStateVector(mirror);
    root.delete(1, 1);
    const deleteFirst = Y.encodeStateAsUpdate(mirror, sv2);

    // The second change without the first, and a deletion of something the room never saw.
    expect(await refusalOf(stream, secondUpdate)).toMatch(
      /^sync update refused: it depends on changes the room does not have .*reopen the document to resync$/,
    );
    const deleter = await hostileStream("deleter");
    expect(await refusalOf(deleter, Y.mergeUpdates([deleteFirst]))).toMatch(
      /depends on changes the room does not have/,
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(notesOf(a)).toEqual(["base"]);

    // Resynced, in order, everything applies.
    const again = await hostileStream("offline-editor-again");
    await sendUpdate(again, firstUpdate);
    await sendUpdate(again, secondUpdate);
    await waitFor(() => notesOf(a).length === 3, "alice gets both");
    expect(notesOf(a)).toEqual(["base", "first", "second"]);
    expect(again.chunks.some((c) => c.header.type === "error")).toBe(false);
  });
});
