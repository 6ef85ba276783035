// Shared documents under load, with the real SDK client against the local room:
// the per-document size cap (19 M2), saving at a cost proportional to the
// change, one write per document at a time and the newest state last (19 M4),
// and documents nobody holds leaving memory (18 §4).

import * as Y from "yjs";
import { beforeEach, describe, expect, it } from "vitest";
import type { RoomClient } from "@meshagent/meshagent";
import { sdkToken, useHarness, waitFor, withTimeout } from "./test-helpers";
import { notesOf, notesSchema } from "../testing/notes-document";
import {
  mirrorOf,
  openRaw,
  openRefused,
  refusalOf,
  sendUpdate,
  silenceSyncLog,
  type RawStream,
} from "./sync-test-helpers";

const h = useHarness({ start: false, dataDir: "dev-room-sync-limits-" });
beforeEach(silenceSyncLog);

const DOC = "notes/shared.notes";

/** A raw writer with a mirror of the document, producing one update per change like the SDK does. */
async function writer(name: string, docPath = DOC, room = "test") {
  const raw = await h.raw(await sdkToken({ name, room }), `/rooms/${room}`);
  const stream: RawStream = await openRaw(raw, docPath, notesSchema().toJson());
  const mirror = mirrorOf(stream);
  const root = mirror.get("xml", Y.XmlElement);
  const change = (edit: (root: Y.XmlElement) => void): Uint8Array => {
    const before = Y.encodeStateVector(mirror);
    edit(root);
    return Y.encodeStateAsUpdate(mirror, before);
  };
  return { stream, root, change };
}

function note(text: string): Y.XmlElement {
  const element = new Y.XmlElement("note");
  // The SDK finds the element a change is for by its $id.
  element.setAttribute("$id", crypto.randomUUID());
  element.setAttribute("text", text);
  return element;
}

/** Round-trip times of `probe` repeated until `busy` settles. */
async function latenciesWhile(busy: Promise<unknown>, probe: () => Promise<unknown>): Promise<number[]> {
  let done = false;
  void busy.finally(() => (done = true));
  const out: number[] = [];
  while (!done) {
    const sent = performance.now();
    await withTimeout(probe(), 10_000, "probe");
    out.push(performance.now() - sent);
  }
  return out;
}

const percentile = (values: number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
};

describe("document size cap (19 M2)", () => {
  it("refuses growth past the cap to the sender; deletions still apply; others are unharmed", async () => {
    await h.start({ maxDocumentBytes: 200_000 });
    const alice = await h.join("alice", { enable: false });
    const a = await alice.sync.open(DOC, { schema: notesSchema() });
    const mallory = await writer("mallory");
    for (let i = 0; i < 3; i++)
      await sendUpdate(
        mallory.stream,
        mallory.change((root) => root.push([note("x".repeat(60_000))])),
      );
    await waitFor(() => notesOf(a).length === 3, "three big notes at alice");
    const error = await refusalOf(
      mallory.stream,
      mallory.change((root) => root.push([note("y".repeat(60_000))])),
    );
    expect(error).toMatch(
      /^document too large: notes\/shared\.notes would grow to \d+ bytes, the limit is 200000 bytes \(DEV_ROOM_MAX_DOCUMENT_BYTES\)$/,
    );

    // Someone tidying up near the cap is not refused.
    const tidy = await writer("tidy");
    await sendUpdate(
      tidy.stream,
      tidy.change((root) => root.delete(0, 2)),
    );

    await waitFor(() => notesOf(a).length === 1, "the deletion at alice");
    a.root.createChildElement("note", { text: "small" });
    const bob = await h.join("bob", { enable: false });
    const b = await withTimeout(bob.sync.open(DOC), 2000, "bob opens");
    await waitFor(() => notesOf(b).length === 2, "bob has both notes");
  });

  it("a stored document over the cap is refused at open with a clear error; the connection stays usable", async () => {
    await h.start({ maxDocumentBytes: 400_000 });
    const mallory = await writer("mallory");
    for (let i = 0; i < 5; i++)
      await sendUpdate(
        mallory.stream,
        mallory.change((root) => root.push([note("z".repeat(60_000))])),
      );
    const watcher = await h.join("watcher", { enable: false });
    const w = await watcher.sync.open(DOC);
    await waitFor(() => notesOf(w).length === 5, "all five stored");
    await h.cleanup();
    // The cap was lowered (or the document was written before there was one).
    await h.start({ maxDocumentBytes: 100_000 });
    const alice = await h.join("alice");
    const refused = await openRefused(alice, DOC);
    expect(refused.message).toMatch(
      /^document too large: notes\/shared\.notes is \d+ bytes, the limit is 100000 bytes \(DEV_ROOM_MAX_DOCUMENT_BYTES\)$/,
    );
    // Chat, storage and other documents on the same connection go on.
    expect(await alice.storage.exists("nothing.txt")).toBe(false);
    const other = await alice.sync.open("notes/other.notes", { schema: notesSchema() });
    other.root.createChildElement("note", { text: "fine" });
    await waitFor(() => notesOf(other).length === 1, "the other document works");
  });
});

describe("saving (19 M4)", () => {
  it("tiny edits on a big document cost their own size on disk, one write at a time, newest state last", async () => {
    await h.start({ syncSaveDelayMs: 5 });
    const quiet = await h.join("quiet", { room: "quiet", enable: false });
    const big = await writer("big");
    for (let i = 0; i < 3; i++)
      await sendUpdate(
        big.stream,
        big.change((root) => root.push([note(`${i}`.repeat(200_000))])),
      );
    const watcher = await h.join("watcher", { enable: false });
    const w = await watcher.sync.open(DOC);
    await waitFor(() => notesOf(w).length === 3, "the big document at the watcher");
    await waitFor(() => h.server.usage().documents.writes > 0, "first save");
    await new Promise((resolve) => setTimeout(resolve, 100));
    const before = h.server.usage().documents;

    const EDITS = 300;
    const hammer = (async () => {
      for (let i = 0; i < EDITS; i++) {
        await sendUpdate(
          big.stream,
          big.change((root) => (root.get(i % 3) as Y.XmlElement).setAttribute("text", `edit ${i}`)),
        );
      }
    })();
    const latencies = await latenciesWhile(hammer, () => quiet.storage.exists("probe.txt"));
    await hammer;
    await waitFor(
      () => notesOf(w).join() === ["edit 297", "edit 298", "edit 299"].join(),
      "the last edits at the watcher",
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
    const after = h.server.usage().documents;
    const written = after.bytesWritten - before.bytesWritten;
    console.info(
      `19 M4: ${EDITS} tiny edits on a 600 KB document: ${after.writes - before.writes} writes, ` +
        `${(written / 1024).toFixed(0)} KiB written, at most ${after.peakWritesPerDocument} write per document at once; ` +
        `another room's requests meanwhile: p50 ${percentile(latencies, 50).toFixed(1)} ms, ` +
        `p99 ${percentile(latencies, 99).toFixed(1)} ms, max ${Math.max(...latencies).toFixed(1)} ms (${latencies.length} requests)`,
    );
    expect(after.peakWritesPerDocument).toBe(1);
    // A full snapshot per save would be 600 KB each time; the log takes only the edits (plus at most one compaction).
    expect(written).toBeLessThan(900_000);

    await h.cleanup();
    await h.start();
    const reader = await h.join("reader", { enable: false });
    expect(notesOf(await reader.sync.open(DOC))).toEqual(["edit 297", "edit 298", "edit 299"]);
  }, 60_000);
});

describe("eviction (18 §4)", () => {
  it("a document nobody has open is saved and dropped from memory, and comes back whole", async () => {
    await h.start({ syncSaveDelayMs: 60_000 });
    const alice = await h.join("alice", { enable: false });
    for (let i = 0; i < 20; i++) {
      const doc = await alice.sync.open(`many/${i}.notes`, { schema: notesSchema() });
      doc.root.createChildElement("note", { text: `note ${i}` });
      await waitFor(() => notesOf(doc).length === 1, "local note");
      // close() ends the stream after the change went out: the room applies both in order.
      await alice.sync.close(`many/${i}.notes`);
    }
    await waitFor(() => h.server.usage().documents.inMemory === 0, "every document evicted");
    // Saved before it was dropped, although the save delay had not passed.
    for (const i of [0, 7, 19]) {
      const doc = await alice.sync.open(`many/${i}.notes`);
      expect(notesOf(doc)).toEqual([`note ${i}`]);
      await alice.sync.close(`many/${i}.notes`);
    }
    // Open, close and reopen at once: nothing is lost in between.
    const bob: RoomClient = await h.join("bob", { enable: false });
    const first = await bob.sync.open("race.notes", { schema: notesSchema() });
    first.root.createChildElement("note", { text: "one" });
    const closing = bob.sync.close("race.notes");
    const again = await alice.sync.open("race.notes");
    await closing;
    expect(notesOf(again)).toEqual(["one"]);
    again.root.createChildElement("note", { text: "two" });
    await alice.sync.close("race.notes");
    await waitFor(() => h.server.usage().documents.inMemory === 0, "evicted again");
    expect(notesOf(await bob.sync.open("race.notes"))).toEqual(["one", "two"]);
  });
});
