// How the room relays document changes (sync-relay.ts): changes applied in one
// turn of the event loop reach each subscriber as one update (none to the one
// who made them all), and echoes (clients send back every update they receive) are
// dropped unapplied. Subscribers here are real Yjs documents that apply what
// they receive, as the SDK's runtime does; the end-to-end path with the SDK is
// in sync.test.ts and sdk-matrix.test.ts.

import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import * as Y from "yjs";
import { afterEach, beforeEach, expect, it } from "vitest";
import { notesSchema } from "../testing/notes-document";
import { RoomStorage } from "./storage-store";
import { SyncStore, type Subscriber, type SyncDocument } from "./sync-documents";
import type { RelayedUpdate } from "./sync-relay";
import { parseSchema } from "./sync-schema";
import { ROOT_TYPE } from "./sync-update-check";

class YjsClient implements Subscriber {
  readonly doc = new Y.Doc();
  readonly received: Uint8Array[] = [];
  /** What the SDK would send back for each update it received. */
  readonly echoes: Uint8Array[] = [];

  constructor(state: Uint8Array) {
    Y.applyUpdate(this.doc, state, "room");
    this.doc.on("update", (update: Uint8Array, origin: unknown) => {
      if (origin === "room") this.echoes.push(update);
    });
  }

  send(update: RelayedUpdate): void {
    this.received.push(update.update);
    // The payload is what the SDK decodes: the base64 text of the same bytes.
    expect(Buffer.from(update.base64().toString("utf8"), "base64")).toEqual(Buffer.from(update.update));
    Y.applyUpdate(this.doc, update.update, "room");
  }

  /** Adds a note locally and returns the update the SDK would send. */
  addNote(text: string): Uint8Array {
    return this.edit(() => {
      const note = new Y.XmlElement("note");
      note.setAttribute("text", text);
      this.root.push([note]);
    });
  }

  edit(change: () => void): Uint8Array {
    let sent: Uint8Array | null = null;
    const capture = (update: Uint8Array, origin: unknown) => {
      if (origin !== "room") sent = update;
    };
    this.doc.on("update", capture);
    this.doc.transact(change, "local");
    this.doc.off("update", capture);
    return sent!;
  }

  get root(): Y.XmlElement {
    return this.doc.get(ROOT_TYPE, Y.XmlElement);
  }

  notes(): string[] {
    return this.root.toArray().map((node) => String((node as Y.XmlElement).getAttribute("text")));
  }
}

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));
const clientsOf = (update: Uint8Array) => new Set(Y.decodeUpdate(update).structs.map((s) => s.id.client));

let dataDir: string;
let logged: string[];
let store: SyncStore;
let document: SyncDocument;

beforeEach(async () => {
  dataDir = await fs.mkdtemp(path.join(os.tmpdir(), "sync-relay-"));
  logged = [];
  store = new SyncStore(new RoomStorage(dataDir), { maxDocumentBytes: 640 * 1024, saveDelayMs: 10 }, (line) =>
    logged.push(line),
  );
  ({ doc: document } = await store.acquireOrCreate("room", "relay.notes", parseSchema(notesSchema().toJson())));
});

afterEach(async () => {
  store.release(document);
  await store.flush();
  await fs.rm(dataDir, { recursive: true, force: true });
});

function subscribe(count: number): YjsClient[] {
  return Array.from({ length: count }, () => {
    const client = new YjsClient(document.state());
    document.subscribers.add(client);
    return client;
  });
}

it("changes made by several in one turn reach every subscriber as one update, theirs included, and converge", async () => {
  const [a, b, c, watcher] = subscribe(4);
  for (const [client, text] of [
    [a, "from a"],
    [b, "from b"],
    [c, "from c"],
  ] as const) {
    document.apply(client.addNote(text), client);
  }
  expect(a.received).toHaveLength(0);
  await nextTurn();

  for (const client of [a, b, c, watcher]) expect(client.received).toHaveLength(1);
  const all = new Set([a.doc.clientID, b.doc.clientID, c.doc.clientID]);
  for (const client of [a, b, c, watcher]) expect(clientsOf(client.received[0])).toEqual(all);
  // Its own changes come back to a contributor as a no-op: only the others' reach its document, and its echo.
  expect(clientsOf(a.echoes[0])).toEqual(new Set([b.doc.clientID, c.doc.clientID]));
  const room = new YjsClient(document.state());
  for (const client of [a, b, c, watcher]) expect(client.notes()).toEqual(room.notes());
  expect(room.notes().sort()).toEqual(["from a", "from b", "from c"]);
  expect(store.traffic).toMatchObject({ updatesIn: 3, updatesAddingNothing: 0, relayMessages: 4, relayBatches: 1 });
});

it("a change in a later turn goes out on its own; a lone change reaches everyone but its sender", async () => {
  const [a, b] = subscribe(2);
  document.apply(a.addNote("one"), a);
  await nextTurn();
  document.apply(a.addNote("two"), a);
  await nextTurn();
  expect(a.received).toHaveLength(0);
  expect(b.received).toHaveLength(2);
  expect(b.notes()).toEqual(["one", "two"]);
});

it("echoes, of insertions and of deletions, are dropped unapplied and relayed to no one", async () => {
  const [a, b, c] = subscribe(3);
  document.apply(a.addNote("kept"), a);
  document.apply(a.addNote("removed"), a);
  await nextTurn();
  expect(b.echoes).toHaveLength(1);
  const before = document.state();
  for (const client of [b, c]) for (const echo of client.echoes.splice(0)) document.apply(echo, client);
  await nextTurn();
  expect(store.traffic).toMatchObject({ updatesIn: 4, updatesAddingNothing: 2, relayMessages: 2 });
  expect(document.state()).toEqual(before);

  // A deletion adds no structs, yet changes the document: it is applied and relayed; its echo is not.
  document.apply(
    b.edit(() => b.root.delete(1, 1)),
    b,
  );
  await nextTurn();
  expect(a.notes()).toEqual(["kept"]);
  expect(c.notes()).toEqual(["kept"]);
  expect(store.traffic).toMatchObject({ updatesIn: 5, updatesAddingNothing: 2, relayMessages: 4 });
  for (const echo of c.echoes.splice(-1)) document.apply(echo, c);
  await nextTurn();
  expect(store.traffic).toMatchObject({ updatesIn: 6, updatesAddingNothing: 3, relayMessages: 4 });
  expect(new YjsClient(document.state()).notes()).toEqual(["kept"]);
});

it("a subscriber that leaves before the turn ends gets nothing; one that joins gets the change again, harmlessly", async () => {
  const [a, leaving] = subscribe(2);
  document.apply(a.addNote("first"), a);
  document.subscribers.delete(leaving);
  const [joining] = subscribe(1);
  expect(joining.notes()).toEqual(["first"]);
  await nextTurn();
  expect(leaving.received).toHaveLength(0);
  expect(joining.received).toHaveLength(1);
  expect(joining.echoes).toHaveLength(0);
  expect(joining.notes()).toEqual(["first"]);
});

it("a subscriber whose send fails is logged, and the others still get the change (the relay runs outside any request)", async () => {
  const [a, b] = subscribe(2);
  const broken: Subscriber = {
    send() {
      throw new Error("socket gone");
    },
  };
  document.subscribers.add(broken);
  const [c] = subscribe(1);
  document.apply(a.addNote("still relayed"), a);
  await nextTurn();
  expect(b.notes()).toEqual(["still relayed"]);
  expect(c.notes()).toEqual(["still relayed"]);
  expect(logged).toEqual([
    expect.stringContaining("relaying a change to relay.notes in room room failed: Error: socket gone"),
  ]);
  document.subscribers.delete(broken);
});
