import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import { ChildProperty, ElementType, MeshSchema, SimpleValue, ValueProperty } from "@meshagent/meshagent";
import * as Y from "yjs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { participantApiScope } from "@/lib/participant-scope";
import { meshSchemaJson } from "@/lib/room/document-schema";
import { readDocument } from "@/lib/room/document-tree";
import { tolerateForeignNodes, type DocumentRuntimeModule } from "@/lib/room/lazy-document-runtime";
import { assertInTokenScope, defineRoomDocument, RoomDocumentSession, type SyncHost } from "@/lib/room/room-document";
import { POLL_PATH } from "@/lib/shared/room-paths";
import { silenceSyncLog } from "@/tooling/dev-room/sync-test-helpers";
import { useHarness, waitFor } from "@/tooling/dev-room/test-helpers";
import { linkedDocuments, settle } from "@/tooling/testing/linked-documents";

const board = defineRoomDocument(POLL_PATH, {
  root: "board",
  elements: {
    board: { description: "a board", attributes: { title: "string", open: "boolean" }, children: ["card", "text"] },
    card: { description: "a card", attributes: { label: "string", votes: "number" } },
    text: { description: "a text" },
  },
});
type Board = typeof board.declaration;

let linked: ReturnType<typeof linkedDocuments<Board>> | null = null;
const rootOf = (session: RoomDocumentSession<Board>) => session.store.getState().read?.root;
afterEach(() => {
  linked?.dispose();
  linked = null;
});
beforeEach(() => silenceSyncLog());

describe("a document declared in TypeScript", () => {
  it("generates the MeshSchema JSON the SDK itself writes, and it round-trips", () => {
    const json = board.schema.toJson();
    const sdk = new MeshSchema({
      rootTagName: "board",
      elements: [
        new ElementType({
          tagName: "board",
          description: "a board",
          properties: [
            new ValueProperty({ name: "title", type: SimpleValue.string }),
            new ValueProperty({ name: "open", type: SimpleValue.boolean }),
            new ChildProperty({ name: "children", childTagNames: ["card", "text"] }),
          ],
        }),
        new ElementType({
          tagName: "card",
          description: "a card",
          properties: [
            new ValueProperty({ name: "label", type: SimpleValue.string }),
            new ValueProperty({ name: "votes", type: SimpleValue.number }),
          ],
        }),
        new ElementType({ tagName: "text", description: "a text", properties: [] }),
      ],
    });
    expect(json).toEqual(sdk.toJson());
    expect(MeshSchema.fromJson(json).toJson()).toEqual(json);
    expect(
      MeshSchema.fromJson(json)
        .element("card")
        .properties.map((p) => p.name),
    ).toEqual(["label", "votes"]);
  });

  it("refuses a declaration MeshSchema could not hold, saying what to fix", () => {
    expect(() => meshSchemaJson({ root: "a", elements: { b: {} } })).toThrow(
      'The root "a" is not one of the elements.',
    );
    expect(() => meshSchemaJson({ root: "a", elements: { a: { children: ["c"] } } })).toThrow(
      '"a" lists the child "c", which is not an element.',
    );
  });
});

describe("two documents joined as a room joins them", () => {
  it("converge on concurrent typed edits, and an element that did not change keeps its object", async () => {
    linked = linkedDocuments(board);
    const [a, b] = linked.sessions;
    expect(a.mutate((root) => root.set({ title: "Sprint", open: true }))).toBe(true);
    a.mutate((root) => root.append("card", { label: "first", votes: 0 }));
    await settle();
    expect(rootOf(b)?.attributes).toEqual({ title: "Sprint", open: true });
    const first = rootOf(b)?.children[0];
    expect(first).toMatchObject({ tag: "card", attributes: { label: "first", votes: 0 } });

    // At once: a edits the card and adds text, b adds a card and renames the board.
    a.mutate((root, current) => root.find(current.children[0])?.set({ votes: 1 }));
    a.mutate((root) => root.append("text").insertText(0, "hello"));
    b.mutate((root) => root.append("card", { label: "second" }));
    b.mutate((root) => root.set({ title: "Sprint 2" }));
    await settle();
    expect(rootOf(a)).toEqual(rootOf(b));
    expect(rootOf(a)?.attributes.title).toBe("Sprint 2");
    expect(rootOf(a)?.children.map((child) => [child.tag, child.attributes, child.text])).toEqual(
      expect.arrayContaining([
        ["card", { label: "first", votes: 1 }, ""],
        ["card", { label: "second" }, ""],
        ["text", {}, "hello"],
      ]),
    );

    const second = rootOf(b)?.children.find((child) => child.tag === "card" && child.attributes.label === "second");
    b.mutate((root, current) => root.find(current.children[0])?.set({ votes: 2 }));
    await settle();
    expect(rootOf(b)?.children.find((child) => child.tag === "card" && child.attributes.label === "second")).toBe(
      second,
    );
  });

  it("rejects a wrongly typed value at run time too (the types are checked when compiled)", () => {
    linked = linkedDocuments(board);
    const [a] = linked.sessions;
    expect(a.mutate((root) => root.set({ title: 42 as unknown as string }))).toBe(false);
    expect(a.store.getState().error).toBe('"board.title" takes a string.');
    expect(rootOf(a)?.attributes).toEqual({});
  });
});

describe("untrusted content", () => {
  it("is read as far as the schema allows, never thrown, and counted", () => {
    const node = (tagName: unknown, attributes: unknown, children: unknown[] = []) => ({
      tagName,
      attributes,
      getChildren: () => children,
    });
    const root = node("anything", { title: { nested: true }, open: "yes", extra: 1 }, [
      node("card", { $id: "c1", label: "ok", votes: Number.NaN }),
      node("card", { $id: "c1", label: "x".repeat(200_000) }),
      node("unknown", { $id: "u" }),
      42,
      { delta: [{ insert: "stray" }] },
      node("text", { $id: "t" }, [{ delta: [{ insert: "a" }, { insert: { image: 1 } }, { insert: "b" }] }]),
    ]);
    const read = readDocument(board.declaration, root, null);
    expect(read.root.attributes).toEqual({});
    expect(read.root.children).toEqual([
      { id: "c1", tag: "card", attributes: { label: "ok" }, children: [], text: "" },
      { id: "root/1", tag: "card", attributes: {}, children: [], text: "" },
      { id: "t", tag: "text", attributes: {}, children: [], text: "ab" },
    ]);
    expect(read.unreadable).toBe(8);
  });

  it("a number, bytes or an object written into the document with raw Yjs: readable, counted, and reset", async () => {
    // What browsers run (lazy-document-runtime.ts), applied to the Node build of the SDK's runtime.
    const runtimeModule = "../../node_modules/@meshagent/meshagent/dist/node/entrypoint.js";
    tolerateForeignNodes((await import(/* @vite-ignore */ runtimeModule)) as DocumentRuntimeModule);
    linked = linkedDocuments(board);
    const [a, b] = linked.sessions;
    a.mutate((root) => root.append("card", { label: "kept" }));
    await settle();

    // A hostile participant's update, made with plain Yjs on the SDK's root element.
    const hostile = new Y.Doc();
    const root = hostile.get("xml", Y.XmlElement);
    root.insert(0, [42 as never, new Uint8Array([1, 2]) as never]);
    root.setAttribute("title", { object: true } as never);
    const { applyBackendChanges } = await import("@meshagent/meshagent");
    const update = Buffer.from(Y.encodeStateAsUpdate(hostile)).toString("base64");
    for (const doc of linked.docs) applyBackendChanges(doc.id, update);
    await settle();
    expect(rootOf(b)?.children.map((child) => child.attributes)).toEqual([{ label: "kept" }]);
    expect(b.store.getState().read?.unreadable).toBe(3);

    // Still syncing both ways, and a reset empties it for everyone.
    a.mutate((root) => root.append("card", { label: "after" }));
    await settle();
    expect(rootOf(b)?.children).toHaveLength(2);
    expect(b.reset()).toBe(true);
    await settle();
    expect(rootOf(a)?.children).toEqual([]);
    expect(a.store.getState().read?.unreadable).toBe(0);
    a.mutate((root) => root.set({ title: "clean" }));
    await settle();
    expect(rootOf(b)?.attributes).toEqual({ title: "clean" });
  });
});

describe("against the local room", () => {
  const h = useHarness({ start: false });
  let dataDir = "";
  beforeEach(async () => {
    silenceSyncLog();
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), "room-document-"));
    await h.start({ dataDir });
  });
  afterEach(async () => {
    await h.cleanup();
    await fs.rm(dataDir, { recursive: true, force: true });
  });
  const join = (name: string) => h.join(name, { enable: false, api: participantApiScope() });
  const phase = (session: RoomDocumentSession<Board>) => session.store.getState().phase;

  it("opens, is read-only while disconnected (edits refused, text kept), and reopens after a room restart", async () => {
    const alice = new RoomDocumentSession(board);
    let release = alice.attach((await join("alice")) as unknown as SyncHost);
    await waitFor(() => phase(alice) === "ready", "alice open", 3000);
    expect(alice.mutate((root) => root.set({ title: "before" }))).toBe(true);

    const bob = new RoomDocumentSession(board);
    bob.attach((await join("bob")) as unknown as SyncHost);
    await waitFor(() => rootOf(bob)?.attributes.title === "before", "bob sees alice", 3000);

    // The page loses the room: the hook hands the session a null client.
    release();
    release = alice.attach(null);
    expect(phase(alice)).toBe("offline");
    expect(alice.mutate((root) => root.set({ title: "while offline" }))).toBe(false);
    expect(alice.reset()).toBe(false);
    expect(rootOf(alice)?.attributes.title).toBe("before");

    await h.server.close();
    await h.start({ dataDir });
    release();
    release = alice.attach((await join("alice")) as unknown as SyncHost);
    await waitFor(() => phase(alice) === "ready", "alice reopened", 3000);
    expect(rootOf(alice)?.attributes.title).toBe("before");
    expect(alice.mutate((root) => root.append("card", { label: "after restart" }))).toBe(true);
    const carol = new RoomDocumentSession(board);
    carol.attach((await join("carol")) as unknown as SyncHost);
    await waitFor(() => rootOf(carol)?.children.length === 1, "carol sees the card", 3000);
    expect(rootOf(carol)?.attributes.title).toBe("before");
    release();
  });

  it("a path outside the token's grant fails with the room's refusal (and in development names the fix)", async () => {
    expect(() => assertInTokenScope("other/doc.board")).toThrow(
      'The room document "other/doc.board" is outside the token\'s sync scope: the room would refuse it. ' +
        "Add its path to ROOM_DOCUMENT_PATHS in lib/shared/room-paths.ts, which lib/participant-scope.ts grants.",
    );
    expect(() => assertInTokenScope(POLL_PATH)).not.toThrow();
    const elsewhere = new RoomDocumentSession(defineRoomDocument("other/doc.board", board.declaration));
    elsewhere.attach((await join("alice")) as unknown as SyncHost);
    await waitFor(() => phase(elsewhere as never) === "failed", "refused", 3000);
    expect(elsewhere.store.getState().error).toMatch(/./);
  });
});
