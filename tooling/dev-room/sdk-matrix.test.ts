// Storage and document sync against the local room with both SDK versions
// (18 §4: the client matrix), and what only 0.39.9 sends: sync.create,
// initial_json, a state vector on open, storage.move.

import { createHash, randomBytes } from "node:crypto";
import * as Y from "yjs";
import { beforeEach, describe, expect, it } from "vitest";
import type { FileDeletedEvent, FileUpdatedEvent, RoomClient, RoomEvent } from "@meshagent/meshagent";
import type { RoomClient as RoomClient039 } from "meshagent-sdk-0.39";
import { sdkToken, useHarness, waitFor, withTimeout } from "./test-helpers";
import { notesSchema } from "../testing/notes-document";
import { openRaw, silenceSyncLog } from "./sync-test-helpers";
import { SDK_MATRIX, type MatrixSdk } from "./sdk-matrix";

const h = useHarness({ start: false, dataDir: "dev-room-matrix-" });
beforeEach(silenceSyncLog);

const sha = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

/** Note texts of a document opened with either SDK (notesOf's instanceof only knows 0.35.8's Element). */
const textsOf = (doc: { root: { getChildren(): unknown[] } }): unknown[] =>
  doc.root.getChildren().map((child) => (child as { getAttribute(name: string): unknown }).getAttribute("text"));

async function connect(sdk: MatrixSdk, name: string, room = "test"): Promise<RoomClient> {
  return h.adopt(await sdk.connect(h.server.url, room, await sdkToken({ name, room })));
}

/** The error a request fails with (both SDKs throw their own RoomServerException). */
async function refusal(promise: Promise<unknown>): Promise<{ message: string; code?: number }> {
  const error = await withTimeout(
    promise.then(
      () => null,
      (e: unknown) => e as { message: string; code?: number },
    ),
    3000,
    "request",
  );
  expect(error).not.toBeNull();
  return error!;
}

describe.each(SDK_MATRIX)("SDK $version", (sdk) => {
  it("storage: round trips, listing, events, refusals", async () => {
    await h.start();
    const alice = await connect(sdk, "alice");
    const bob = await connect(sdk, "bob");
    const updated: string[] = [];
    const deleted: string[] = [];
    bob.storage.on("file.updated", (e: RoomEvent) => updated.push((e as FileUpdatedEvent).path));
    bob.storage.on("file.deleted", (e: RoomEvent) => deleted.push((e as FileDeletedEvent).path));
    for (const size of [0, 1, 300_000]) {
      const bytes = new Uint8Array(randomBytes(size));
      await alice.storage.upload(`m/${size}.bin`, bytes);
      const got = await bob.storage.download(`m/${size}.bin`);
      expect(sha(got.data)).toBe(sha(bytes));
    }
    expect((await bob.storage.list("m")).map((e) => e.name)).toEqual(["0.bin", "1.bin", "300000.bin"]);
    expect((await bob.storage.stat("m/1.bin"))?.size).toBe(1);
    await alice.storage.delete("m/0.bin");
    await waitFor(() => updated.length === 3 && deleted.length === 1, "events at bob");
    expect(deleted).toEqual(["m/0.bin"]);
    expect((await refusal(alice.storage.download("m/0.bin"))).message).toBe("file not found: m/0.bin");
    expect((await refusal(alice.storage.upload("../x", new Uint8Array([1])))).message).toMatch(/"\.\." segments/);
  });

  it("sync: two writers converge, a late joiner and a restart see everything", async () => {
    await h.start({ syncSaveDelayMs: 20 });
    const alice = await connect(sdk, "alice");
    const bob = await connect(sdk, "bob");
    const a = await withTimeout(alice.sync.open("m.notes", { schema: notesSchema() }), 2000, "alice opens");
    const b = await withTimeout(bob.sync.open("m.notes"), 2000, "bob opens");
    for (let i = 0; i < 10; i++) {
      a.root.createChildElement("note", { text: `a${i}` });
      b.root.createChildElement("note", { text: `b${i}` });
    }
    await waitFor(() => textsOf(a).length === 20 && textsOf(b).length === 20, "20 notes on both", 5000);
    expect(textsOf(a)).toEqual(textsOf(b));
    const carol = await connect(sdk, "carol");
    expect(textsOf(await carol.sync.open("m.notes"))).toEqual(textsOf(a));
    const before = textsOf(a);
    await h.cleanup();
    await h.start();
    const dave = await connect(sdk, "dave");
    expect(textsOf(await withTimeout(dave.sync.open("m.notes"), 2000, "open after restart"))).toEqual(before);
  });
});

describe("what SDK 0.39.9 sends", () => {
  const sdk = SDK_MATRIX.find((s) => s.version === "0.39.9")!;
  const as039 = (room: RoomClient) => room as unknown as RoomClient039;

  it("sync.create makes a document from JSON with the room's schema file; twice is refused", async () => {
    await h.start();
    const alice = await connect(sdk, "alice");
    await alice.storage.upload(".schemas/notes.json", new TextEncoder().encode(JSON.stringify(notesSchema().toJson())));
    await as039(alice).sync.create("made.notes", {
      notes: { items: [{ note: { text: "from json" } }, { note: { text: "second" } }] },
    });
    const doc = await alice.sync.open("made.notes");
    expect(textsOf(doc)).toEqual(["from json", "second"]);
    const again = await refusal(as039(alice).sync.create("made.notes", { notes: {} }));
    expect(again.message).toBe("document already exists: made.notes");
    const badJson = await refusal(as039(alice).sync.create("bad.notes", { notes: { items: [{ script: {} }] } }));
    expect(badJson.message).toMatch(/^invalid initial document JSON: .*<script> is not allowed/);
    const noSchema = await refusal(as039(alice).sync.create("x.unknown", { a: {} }));
    expect(noSchema.message).toMatch(/^no schema for x\.unknown/);
  });

  it("initial_json fills a new document; an existing one keeps its content", async () => {
    await h.start();
    const alice = await connect(sdk, "alice");
    const doc = await as039(alice).sync.open("init.notes", {
      schema: notesSchema() as never,
      initialJson: { notes: { items: [{ note: { text: "seeded" } }] } },
    });
    expect(textsOf(doc)).toEqual(["seeded"]);
    const bob = await connect(sdk, "bob");
    const other = await as039(bob).sync.open("init.notes", {
      initialJson: { notes: { items: [{ note: { text: "ignored" } }] } },
    });
    expect(textsOf(other)).toEqual(["seeded"]);
  });

  it("a state vector on open gets only what the client lacks", async () => {
    await h.start();
    const alice = await connect(sdk, "alice");
    const a = await alice.sync.open("v.notes", { schema: notesSchema() });
    a.root.createChildElement("note", { text: "one" });
    const raw = await h.raw(await sdkToken({ name: "raw" }));
    const first = await openRaw(raw, "v.notes", null);
    const mirror = new Y.Doc();
    Y.applyUpdate(mirror, Buffer.from(new TextDecoder().decode(first.chunks[0].payload), "base64"));
    a.root.createChildElement("note", { text: "two" });
    await waitFor(() => first.chunks.length >= 2, "the second note relayed");
    // What 0.39 sends when it reopens after a reconnect: its state vector, base64.
    const raw2 = await h.raw(await sdkToken({ name: "raw2" }));
    const vector = Buffer.from(Y.encodeStateVector(mirror)).toString("base64");
    const second = await openRaw(raw2, "v.notes", null, { vector });
    const diff = Buffer.from(new TextDecoder().decode(second.chunks[0].payload), "base64");
    Y.applyUpdate(mirror, diff);
    expect(
      mirror
        .get("xml", Y.XmlElement)
        .toArray()
        .map((n) => (n as Y.XmlElement).getAttribute("text")),
    ).toEqual(["one", "two"]);
    const raw3 = await h.raw(await sdkToken({ name: "raw3" }));
    const whole = await openRaw(raw3, "v.notes", null);
    expect(second.chunks[0].payload.length).toBeLessThan(whole.chunks[0].payload.length);
  });

  it("storage.move renames files and folders and tells everyone; refuses clobbering and moving into itself", async () => {
    await h.start();
    const alice = await connect(sdk, "alice");
    const bob = await connect(sdk, "bob");
    const moved: string[] = [];
    as039(bob).storage.on("file.moved", (e: unknown) => {
      const event = e as { sourcePath: string; destinationPath: string };
      moved.push(`${event.sourcePath}->${event.destinationPath}`);
    });
    await alice.storage.upload("a/one.txt", new TextEncoder().encode("one"));
    await alice.storage.upload("b.txt", new TextEncoder().encode("b"));
    await as039(alice).storage.move("a/one.txt", "c/renamed.txt");
    expect(new TextDecoder().decode((await bob.storage.download("c/renamed.txt")).data)).toBe("one");
    expect(await bob.storage.exists("a/one.txt")).toBe(false);
    await as039(alice).storage.move("c", "d");
    expect(await bob.storage.exists("d/renamed.txt")).toBe(true);
    expect((await refusal(as039(alice).storage.move("b.txt", "d/renamed.txt"))).message).toMatch(
      /^file already exists: d\/renamed\.txt/,
    );
    await as039(alice).storage.move("b.txt", "d/renamed.txt", { overwrite: true });
    expect(new TextDecoder().decode((await bob.storage.download("d/renamed.txt")).data)).toBe("b");
    expect((await refusal(as039(alice).storage.move("d", "d/inner"))).message).toBe("cannot move d into itself");
    expect((await refusal(as039(alice).storage.move("nope.txt", "x.txt"))).message).toBe("file not found: nope.txt");
    await waitFor(() => moved.length === 3, "three moves at bob");
    expect(moved).toEqual(["a/one.txt->c/renamed.txt", "c->d", "b.txt->d/renamed.txt"]);
  });
});
