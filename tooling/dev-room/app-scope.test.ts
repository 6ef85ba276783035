// The browser token's scope (lib/participant-scope.ts) against the dev room:
// exactly room files, the room documents (ROOM_DOCUMENT_PATHS) and a private toolkit, nothing beyond.

import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, expect, it } from "vitest";
import { ApiScope, EmptyContent, JsonContent, RoomServerException, type RoomClient } from "@meshagent/meshagent";
import { ROOM_FILES_PREFIX, SHARED_NOTES_PATH, participantApiScope } from "../../lib/participant-scope";
import { useHarness } from "./test-helpers";
import { notesOf, notesSchema } from "../testing/notes-document";
import { silenceSyncLog } from "./sync-test-helpers";
import { host35 } from "./toolkit-test-helpers";

const h = useHarness({ start: false });
let dataDir = "";

beforeEach(async () => {
  silenceSyncLog();
  dataDir = await fs.mkdtemp(path.join(os.tmpdir(), "dev-room-scope-"));
  await h.start({ dataDir });
});
afterEach(async () => {
  await h.cleanup();
  await fs.rm(dataDir, { recursive: true, force: true });
});

async function code(promise: Promise<unknown>): Promise<number | undefined> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(RoomServerException);
  return (error as RoomServerException).code;
}

function openRefused(room: RoomClient, docPath: string): Promise<number | undefined> {
  const opening = room.sync.open(docPath, { schema: notesSchema() });
  // SDK quirk: a refused open also rejects an internal promise nobody awaits.
  void (room.sync as unknown as { _connectingDocuments: Record<string, Promise<unknown>> })._connectingDocuments[
    docPath
  ]?.catch(() => {});
  return code(opening);
}

it("lets a browser token use room files and the shared notes, and nothing else", async () => {
  const alice = await h.join("alice", { enable: false, api: participantApiScope() });
  const bob = await h.join("bob", { enable: false, api: participantApiScope() });

  const file = `${ROOM_FILES_PREFIX}photo.png`;
  await alice.storage.upload(file, new Uint8Array([1, 2, 3]));
  expect((await bob.storage.download(file)).data).toEqual(new Uint8Array([1, 2, 3]));
  expect(await fetch(await bob.storage.downloadUrl(file)).then((r) => r.status)).toBe(200);
  expect((await bob.storage.list(ROOM_FILES_PREFIX)).map((e) => e.name)).toEqual(["photo.png"]);

  expect(await code(alice.storage.upload("elsewhere.txt", new Uint8Array([1])))).toBe(1001);
  expect(await code(alice.storage.upload(".schemas/notes.json", new Uint8Array([1])))).toBe(1001);
  expect(await code(alice.storage.download("elsewhere.txt"))).toBe(1001);

  const a = await alice.sync.open(SHARED_NOTES_PATH, { schema: notesSchema() });
  const b = await bob.sync.open(SHARED_NOTES_PATH);
  a.root.createChildElement("note", { text: "hello" });
  await expect.poll(() => notesOf(b)).toEqual(["hello"]);
  expect(await openRefused(alice, "notes/other.notes")).toBe(1001);
});

it("lets a browser token host its private ui toolkit for an agent, and nothing more with toolkits", async () => {
  const browser = await h.join("browser", { enable: false, api: participantApiScope() });
  const other = await h.join("other-browser", { enable: false, api: participantApiScope() });
  const agent = await h.join("agent", { enable: false, api: ApiScope.agentDefault() });
  const ui = { show_toast: () => new EmptyContent(), ask_user: () => new JsonContent({ json: { name: "Ada" } }) };

  // No public toolkits from a browser: anyone in the room could reach them.
  expect(await code(host35(browser, "ui", ui, { public_: true }))).toBe(1001);
  await host35(browser, "ui", ui);
  // An agent finds and calls it by naming the browser, as MeshAgent's agents do for --require-toolkit ui.
  const browserId = browser.localParticipant!.id;
  const [listed] = await agent.agents.listToolkits({ participantId: browserId });
  expect([listed.name, listed.participantId]).toEqual(["ui", browserId]);
  const answer = await agent.invoke({ toolkit: "ui", tool: "ask_user", arguments: {}, participantId: browserId });
  expect((answer as JsonContent).json).toEqual({ name: "Ada" });

  // Another browser cannot list or call it (no use_tools), nor anything else; room.call is not granted either.
  expect(await code(other.agents.listToolkits({ participantId: browserId }))).toBe(1001);
  expect(await code(other.invoke({ toolkit: "ui", tool: "show_toast", arguments: {}, participantId: browserId }))).toBe(
    1001,
  );
  expect(await code(browser.agents.listToolkits())).toBe(1001);
  expect(await code(other.agents.call({ name: "x", url: "http://127.0.0.1:1/", arguments: {} }))).toBe(1001);
});
