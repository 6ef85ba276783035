// room.sync with the real SDK client against the dev room: the first state,
// relaying between clients, late joiners, persistence across restarts, grants,
// and refusal of malformed updates without harm to the document or others.

import { existsSync, readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import * as Y from "yjs";
import { beforeEach, describe, expect, it } from "vitest";
import {
  ApiScope,
  RoomServerException,
  SyncGrant,
  SyncPathGrant,
  type MeshDocument,
  type RoomClient,
} from "@meshagent/meshagent";
import { sdkToken, useHarness, waitFor, withTimeout, roomRefusal } from "./test-helpers";
import { notesOf, notesSchema } from "../testing/notes-document";
import { openRaw, silenceSyncLog } from "./sync-test-helpers";
import type { JsonObject } from "./framing";

const h = useHarness({ start: false, dataDir: "dev-room-sync-" });
beforeEach(silenceSyncLog);

const DOC = "notes/shared.notes";

function addNote(doc: MeshDocument, text: string): void {
  doc.root.createChildElement("note", { text });
}

describe("sync.open", () => {
  it("opens an empty document with the client's schema; two clients editing at once converge", async () => {
    await h.start();
    const alice = await h.join("alice", { enable: false });
    const bob = await h.join("bob", { enable: false });
    // Both open the new document at the same moment: they must share one server-side document.
    const [a, b] = await withTimeout(
      Promise.all([
        alice.sync.open(DOC, { schema: notesSchema() }),
        bob.sync.open(`/${DOC}`, { schema: notesSchema() }),
      ]),
      2000,
      "concurrent opens",
    );
    expect(a.root.tagName).toBe("notes");
    expect(notesOf(a)).toEqual([]);

    for (let i = 0; i < 20; i++) {
      addNote(a, `a${i}`);
      addNote(b, `b${i}`);
    }
    await waitFor(() => notesOf(a).length === 40 && notesOf(b).length === 40, "40 notes on both sides", 5000);
    expect(notesOf(a)).toEqual(notesOf(b));
    expect(new Set(notesOf(a)).size).toBe(40);

    const carol = await h.join("carol", { enable: false });
    const c = await withTimeout(carol.sync.open(DOC), 2000, "carol open");
    expect(notesOf(c)).toEqual(notesOf(a));
    // The late joiner passed no schema and got the one kept with the document.
    expect(c.schema.toJson()).toEqual(notesSchema().toJson());

    // Closing one subscriber leaves the others connected.
    await withTimeout(bob.sync.close(DOC), 2000, "bob close");
    addNote(a, "after bob left");
    await waitFor(() => notesOf(c).length === 41, "carol sees the next edit");
    expect(notesOf(b)).toHaveLength(40);
  });

  it("answers the first chunk with state + schema + a base64 Yjs update of the whole document", async () => {
    await h.start();
    const alice = await h.join("alice", { enable: false });
    const a = await alice.sync.open(DOC, { schema: notesSchema() });
    addNote(a, "hello");
    const raw = await h.raw(await sdkToken({ name: "raw" }));
    const stream = await openRaw(raw, DOC, null);
    const state = stream.chunks[0];
    expect(state.header).toMatchObject({ type: "binary", headers: { kind: "state", path: DOC } });
    expect((state.header.headers as JsonObject).schema).toEqual(notesSchema().toJson());
    const text = new TextDecoder().decode(state.payload);
    expect(text).toMatch(/^[A-Za-z0-9+/]+=*$/);
    const mirror = new Y.Doc();
    Y.applyUpdate(mirror, Buffer.from(text, "base64"));
    expect(mirror.get("xml", Y.XmlElement).toString()).toContain('text="hello"');
    // An edit elsewhere arrives as kind "sync" with the path.
    addNote(a, "second");
    await waitFor(() => stream.chunks.length >= 2, "a sync chunk");
    expect(stream.chunks[1].header).toEqual({ type: "binary", headers: { kind: "sync", path: DOC } });
  });

  it("refuses a document without any schema, and create:false for a missing one", async () => {
    await h.start();
    const alice = await h.join("alice", { enable: false });
    const noSchema = await openRefused(alice, "other.notes");
    expect(noSchema.message).toBe(
      "no schema for other.notes: pass one to sync.open or upload .schemas/<extension>.json",
    );
    const missing = await openRefused(alice, "missing.notes", { create: false, schema: notesSchema() });
    expect(missing.message).toBe("document not found: missing.notes");
    const traversal = await openRefused(alice, "../x.notes", { schema: notesSchema() });
    expect(traversal.message).toMatch(/"\.\." segments are not allowed/);
  });

  it("uses .schemas/<extension>.json from room storage when the client passes no schema", async () => {
    await h.start();
    const alice = await h.join("alice", { enable: false });
    await alice.storage.upload(".schemas/notes.json", new TextEncoder().encode(JSON.stringify(notesSchema().toJson())));
    const doc = await withTimeout(alice.sync.open("x/y.notes"), 2000, "open");
    expect(doc.root.tagName).toBe("notes");
  });

  it("keeps documents and their schema across a restart", async () => {
    await h.start({ syncSaveDelayMs: 20 });
    let alice = await h.join("alice", { enable: false });
    const a = await alice.sync.open(DOC, { schema: notesSchema() });
    const watcher = await (await h.join("watcher", { enable: false })).sync.open(DOC);
    for (let i = 0; i < 5; i++) addNote(a, `n${i}`);
    // Once another client has them, the server has them.
    await waitFor(() => notesOf(watcher).length === 5, "watcher sees all five");
    // Saved by the debounce timer, not only on shutdown.
    await waitFor(() => savedDocuments().some((text) => notesIn(text) === 5), "the saved document", 2000);
    await h.cleanup();
    await h.start();
    alice = await h.join("alice", { enable: false });
    const again = await withTimeout(alice.sync.open(DOC), 2000, "open after restart");
    expect(again.root.tagName).toBe("notes");
    expect(notesOf(again)).toEqual(["n0", "n1", "n2", "n3", "n4"]);
  });

  it("saves on shutdown even within the debounce delay", async () => {
    await h.start({ syncSaveDelayMs: 60_000 });
    let alice = await h.join("alice", { enable: false });
    const a = await alice.sync.open(DOC, { schema: notesSchema() });
    const watcher = await (await h.join("watcher", { enable: false })).sync.open(DOC);
    addNote(a, "last words");
    await waitFor(() => notesOf(watcher).length === 1, "watcher sees the note");
    await h.cleanup();
    await h.start();
    alice = await h.join("alice", { enable: false });
    expect(notesOf(await alice.sync.open(DOC))).toEqual(["last words"]);
  });

  it("enforces the token's sync grant", async () => {
    await h.start();
    const owner = await h.join("owner", { enable: false });
    const ownerDoc = await owner.sync.open(DOC, { schema: notesSchema() });
    addNote(ownerDoc, "from owner");
    const limited = await h.join("limited", {
      enable: false,
      api: new ApiScope({ sync: new SyncGrant({ paths: [new SyncPathGrant({ path: DOC })] }) }),
    });
    expect(notesOf(await limited.sync.open(DOC))).toEqual(["from owner"]);
    expect((await openRefused(limited, "notes/other.notes", { schema: notesSchema() })).code).toBe(1001);

    const reader = await h.join("reader", {
      enable: false,
      api: new ApiScope({ sync: new SyncGrant({ paths: [new SyncPathGrant({ path: "notes/*", readOnly: true })] }) }),
    });
    const r = await reader.sync.open(DOC);
    expect((await openRefused(reader, "notes/new.notes", { schema: notesSchema() })).code).toBe(1001);
    addNote(r, "must not spread");
    await new Promise((res) => setTimeout(res, 150));
    addNote(ownerDoc, "second");
    const fresh = await h.join("fresh", { enable: false });
    const f = await fresh.sync.open(DOC);
    expect(notesOf(f)).toEqual(["from owner", "second"]);
    await waitFor(() => notesOf(ownerDoc).length === 2, "owner's own edit");
    expect(notesOf(ownerDoc)).toEqual(["from owner", "second"]);

    const none = await h.join("none", { enable: false, api: new ApiScope({}) });
    expect((await openRefused(none, DOC)).code).toBe(1001);
  });
});

describe("malformed updates", () => {
  it("are refused to the sender only; the document and other subscribers are unharmed", async () => {
    await h.start();
    const alice = await h.join("alice", { enable: false });
    const bob = await h.join("bob", { enable: false });
    const a = await alice.sync.open(DOC, { schema: notesSchema() });
    const b = await bob.sync.open(DOC);
    addNote(a, "before");
    await waitFor(() => notesOf(b).length === 1, "bob sees before");

    const foreign = new Y.Doc();
    foreign.getMap("other").set("k", 1);
    const mapInRoot = new Y.Doc();
    mapInRoot.get("xml", Y.XmlElement).insert(0, [new Y.XmlElement("note")]);
    mapInRoot.get("xml", Y.XmlElement).setAttribute("x", "y");
    const bad: [string, Uint8Array][] = [
      ["not base64", new TextEncoder().encode("%%%not base64%%%")],
      ["not utf-8", new Uint8Array([0xff, 0xfe, 0xfd])],
      ["empty", new Uint8Array(0)],
      ["garbage bytes", new TextEncoder().encode(Buffer.from([1, 200, 7, 99, 5, 5, 5]).toString("base64"))],
      ["other root type", new TextEncoder().encode(Buffer.from(Y.encodeStateAsUpdate(foreign)).toString("base64"))],
    ];
    for (const [what, payload] of bad) {
      const raw = await h.raw(await sdkToken({ name: `raw-${what}` }));
      const stream = await openRaw(raw, DOC, null);
      const reply = await stream.sendChunk({ type: "binary", headers: { kind: "sync" } }, payload);
      expect(reply, what).toEqual({ type: "empty" });
      await waitFor(() => stream.chunks.some((c) => c.header.type === "error"), `error for ${what}`);
      const error = stream.chunks.find((c) => c.header.type === "error")!.header;
      expect(error.text, what).toMatch(/^malformed sync update: /);
      expect(error.code).toBe(1002);
      expect(stream.chunks.at(-1)!.header).toMatchObject({ type: "control", method: "close" });
      expect(raw.open).toBe(true);
    }
    addNote(a, "after");
    await waitFor(() => notesOf(b).length === 2, "bob sees after");
    expect(notesOf(b)).toEqual(["before", "after"]);
    const carol = await h.join("carol", { enable: false });
    expect(notesOf(await carol.sync.open(DOC))).toEqual(["before", "after"]);
  });
});

/**
 * SDK quirk (sync-client.js open()): a refused open also rejects an internal
 * Completer that nobody awaits, which Node reports as an unhandled rejection.
 * Attach a handler to it, then wait for open() itself.
 */
function openRefused(
  room: RoomClient,
  docPath: string,
  opts: Parameters<RoomClient["sync"]["open"]>[1] = {},
): Promise<RoomServerException> {
  const opening = room.sync.open(docPath, opts);
  const internal = (room.sync as unknown as { _connectingDocuments: Record<string, Promise<unknown>> })
    ._connectingDocuments;
  const key = docPath.replace(/^(\.\/|\/)+/, "");
  void internal[key]?.catch(() => {});
  return roomRefusal(opening);
}

function savedDocuments(): string[] {
  const roomsDir = path.join(h.dataDir, "rooms");
  if (!existsSync(roomsDir)) return [];
  return readdirSync(roomsDir).flatMap((room) => {
    const dir = path.join(roomsDir, room, "sync");
    return existsSync(dir)
      ? readdirSync(dir)
          .filter((f) => f.endsWith(".json"))
          .map((f) => readFileSync(path.join(dir, f), "utf8"))
      : [];
  });
}

/** How many notes a saved document holds, read back with yjs. */
function notesIn(savedJson: string): number {
  const saved = JSON.parse(savedJson) as { update: string };
  const doc = new Y.Doc();
  Y.applyUpdate(doc, Buffer.from(saved.update, "base64"));
  return doc.get("xml", Y.XmlElement).length;
}
