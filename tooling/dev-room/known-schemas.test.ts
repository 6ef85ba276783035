// The app's own documents (`documentSchemas`, from features/room-documents.ts)
// are served with the app's schema whatever a client passes, so whoever opens
// a room's notes first cannot choose their schema for everyone (issue 19 L3),
// and a document squatted before is served right again after a restart.

import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { participantApiScope } from "@/lib/participant-scope";
import { RoomDocumentSession, type SyncHost } from "@/lib/room/room-document";
import { ROOM_DOCUMENT_PATHS, SHARED_NOTES_PATH } from "@/lib/shared/room-paths";
import { ROOM_DOCUMENTS, roomDocumentSchemas } from "@/features/room-documents";
import { notesDocument, readNotes, writeNotes } from "@/features/shared-notes/notes-document";
import { notesOf, notesSchema } from "../testing/notes-document";
import { silenceSyncLog } from "./sync-test-helpers";
import { startDevRoomServer } from "./server";
import { SECRET, useHarness, waitFor, withTimeout } from "./test-helpers";

const h = useHarness({ start: false, dataDir: "dev-room-known-schemas-" });
const lines: string[] = [];
const mismatches = () => lines.filter((line) => line.includes("with a schema other than the one the room serves"));
const appSchemas = roomDocumentSchemas();
const sessions: (() => void)[] = [];

beforeEach(() => {
  silenceSyncLog();
  lines.length = 0;
});
afterEach(() => {
  for (const release of sessions.splice(0)) release();
});

const startRoom = (documentSchemas?: Record<string, unknown>) =>
  h.start({ syncSaveDelayMs: 20, documentSchemas, log: (line) => lines.push(line) });

/** The Notes tab's own document code on a browser-scoped client. */
async function openNotes(name: string): Promise<RoomDocumentSession<typeof notesDocument.declaration>> {
  const session = new RoomDocumentSession(notesDocument);
  const client = await h.join(name, { enable: false, api: participantApiScope() });
  sessions.push(session.attach(client as unknown as SyncHost));
  await waitFor(() => session.store.getState().phase !== "opening", `${name}'s notes open`, 3000);
  return session;
}

const notesText = (session: RoomDocumentSession<typeof notesDocument.declaration>) =>
  readNotes(session.store.getState().read?.root ?? null);

describe("the app's documents in the local room", () => {
  it("are served with the app's schema, whatever schema their first opener passes", async () => {
    await startRoom(appSchemas);
    const mallory = await h.join("mallory", { enable: false, api: participantApiScope() });
    // A valid MeshSchema, but not the app's: root "notes" holding "note" elements.
    const squat = await withTimeout(mallory.sync.open(SHARED_NOTES_PATH, { schema: notesSchema() }), 2000, "open");
    expect(squat.schema.toJson()).toEqual(appSchemas[SHARED_NOTES_PATH]);
    expect(() => squat.root.createChildElement("note", { text: "mine" })).toThrow();
    await mallory.sync.close(SHARED_NOTES_PATH);
    await withTimeout(mallory.sync.open(SHARED_NOTES_PATH, { schema: notesSchema() }), 2000, "open again");
    // One line per document, however often a client repeats it.
    expect(mismatches()).toHaveLength(1);

    const alice = await openNotes("alice");
    const bob = await openNotes("bob");
    expect(alice.store.getState()).toMatchObject({ phase: "ready", error: null });
    expect(alice.mutate(writeNotes("", "hello"))).toBe(true);
    await waitFor(() => notesText(bob) === "hello", "bob reads alice's notes", 3000);
    expect(mismatches()).toHaveLength(1);
  });

  it("a document another schema squatted on before is served with the app's after a restart, and writable", async () => {
    // A room without the app's schemas (as before this fix): the first opener's schema sticks.
    await startRoom();
    const mallory = await h.join("mallory", { enable: false, api: participantApiScope() });
    const squat = await mallory.sync.open(SHARED_NOTES_PATH, { schema: notesSchema() });
    squat.root.createChildElement("note", { text: "squatted" });
    const before = await openNotes("alice");
    // What the issue found: the Notes tab cannot write into such a document.
    expect(before.mutate(writeNotes("", "lost"))).toBe(false);
    expect(before.store.getState().error).toMatch(/text/);
    const watcher = await (await h.join("watcher", { enable: false })).sync.open(SHARED_NOTES_PATH);
    await waitFor(() => notesOf(watcher).length === 1, "the squatter's note reached the room");
    await h.cleanup();

    await startRoom(appSchemas);
    const alice = await openNotes("alice");
    const bob = await openNotes("bob");
    expect(alice.store.getState()).toMatchObject({ phase: "ready", error: null });
    // The squatter's element, which the app's schema lacks, is gone: the tab shows empty notes and writes.
    expect(notesText(alice)).toBe("");
    expect(lines).toContain(`${SHARED_NOTES_PATH} in room test: removed 1 elements its schema lacks`);
    expect(alice.mutate(writeNotes("", "repaired"))).toBe(true);
    await waitFor(() => notesText(bob) === "repaired", "bob reads the repaired notes", 3000);
    // Saved with the app's schema: a client that passes none gets it after another restart.
    await h.cleanup();
    await startRoom();
    const carol = await h.join("carol", { enable: false });
    const again = await withTimeout(carol.sync.open(SHARED_NOTES_PATH), 2000, "open after restart");
    expect(again.schema.toJson()).toEqual(appSchemas[SHARED_NOTES_PATH]);
  });

  it("are exactly the documents the browser token grants", () => {
    expect(ROOM_DOCUMENTS.map((doc) => doc.path).sort()).toEqual([...ROOM_DOCUMENT_PATHS].sort());
  });

  it("refuse to start with a schema MeshSchema could not open", async () => {
    await expect(
      startDevRoomServer({ port: 0, secret: SECRET, documentSchemas: { [SHARED_NOTES_PATH]: {} } }),
    ).rejects.toThrow(`documentSchemas["${SHARED_NOTES_PATH}"]: invalid schema: not a MeshSchema`);
  });
});
