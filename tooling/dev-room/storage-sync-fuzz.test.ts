// Seeded fuzzing of streamed tool calls (storage upload/download, sync.open)
// and sync updates next to real SDK clients that keep working: every request
// gets an answer, the server stays up, nothing escapes the room folder, and
// the honest clients' files and shared document are unaffected.

import { prng } from "../testing/prng";
import { createHash, randomBytes } from "node:crypto";
import { existsSync, promises as fs } from "node:fs";
import path from "node:path";
import * as Y from "yjs";
import { beforeEach, expect, it } from "vitest";
import { useHarness, sdkToken, waitFor, withTimeout, type RawClient } from "./test-helpers";
import { notesOf, notesSchema } from "../testing/notes-document";
import { mirrorOf, openRaw, refusalOf, sendUpdate, silenceSyncLog } from "./sync-test-helpers";
import type { JsonObject } from "./framing";

const h = useHarness({ start: false, dataDir: "dev-room-fuzz-" });
beforeEach(silenceSyncLog);

const DOC = "notes/shared.notes";
const sha = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");
const b64 = (bytes: Uint8Array) => new TextEncoder().encode(Buffer.from(bytes).toString("base64"));

function fuzzInputs(rand: () => number) {
  const pick = <T>(items: T[]): T => items[Math.floor(rand() * items.length)];
  const bytes = (max: number) => {
    const out = new Uint8Array(Math.floor(rand() * max));
    for (let i = 0; i < out.length; i++) out[i] = Math.floor(rand() * 256);
    return out;
  };
  // A real update from an unrelated document, to mutate.
  const donor = new Y.Doc();
  const root = donor.get("xml", Y.XmlElement);
  const el = new Y.XmlElement("note");
  el.setAttribute("text", "fuzz");
  root.insert(0, [el]);
  const real = Y.encodeStateAsUpdate(donor);
  const mutated = () => {
    const copy = real.slice();
    const flips = 1 + Math.floor(rand() * 4);
    for (let i = 0; i < flips; i++) copy[Math.floor(rand() * copy.length)] = Math.floor(rand() * 256);
    return rand() < 0.3 ? copy.subarray(0, Math.floor(rand() * copy.length)) : copy;
  };
  const paths = [
    "fuzz/a.bin",
    "../escape.bin",
    "/abs.bin",
    "a\0b",
    "a\\b",
    "",
    "x/../../y",
    DOC,
    "keep/original.bin",
    "fuzz/" + "z".repeat(300),
    42,
    null,
  ];
  const header = (): JsonObject => {
    const kind = pick(["start", "data", "pull", "sync", "state", "bogus", undefined, 7]);
    const h: JsonObject = { kind };
    if (rand() < 0.7) h.path = pick(paths);
    if (rand() < 0.5) h.size = pick([0, 1, 10, -1, 1e12, "big", null, 3.5]);
    if (rand() < 0.3) h.overwrite = pick([true, false, "yes"]);
    if (rand() < 0.3) h.chunk_size = pick([0, -5, 1, 1e9, "x", 4096]);
    if (rand() < 0.3) h.schema = pick([null, 5, "s", [], { $root_tag_ref: "#/$defs/x" }]);
    if (rand() < 0.2) h.vector = pick([null, "!!", "AA==", 3]);
    if (rand() < 0.1) h.create = pick([false, true]);
    return h;
  };
  const chunk = (): { chunk: unknown; payload?: Uint8Array } => {
    const r = rand();
    if (r < 0.08) return { chunk: { type: "control", method: "close" } };
    if (r < 0.12) return { chunk: pick([null, 5, "s", [], { no: "type" }, { type: "json", json: {} }]) };
    const payload = pick([
      () => bytes(3000),
      () => b64(bytes(200)),
      () => b64(mutated()),
      () => mutated(),
      () => new TextEncoder().encode("%%%"),
      () => new Uint8Array(0),
    ])();
    return { chunk: { type: "binary", headers: header() }, payload };
  };
  // Valid updates from a private document: legal content the honest clients may also receive.
  const own = new Y.Doc();
  const validUpdate = () => {
    const before = Y.encodeStateVector(own);
    const note = new Y.XmlElement("note");
    note.setAttribute("$id", `fuzz-${Math.floor(rand() * 1e9)}`);
    note.setAttribute("text", "fuzz");
    own.get("xml", Y.XmlElement).insert(0, [note]);
    return Y.encodeStateAsUpdate(own, before);
  };
  const badUpdate = () =>
    pick([
      () => b64(mutated()),
      () => b64(bytes(100)),
      () => mutated(),
      () => new TextEncoder().encode("%%%"),
      () => new Uint8Array(0),
      () => b64(new Uint8Array(0)),
    ])();
  return { pick, chunk, validUpdate, badUpdate };
}

/**
 * Mostly well-formed streamed calls with something broken injected: a valid
 * open and start most of the time, then a mix of valid and malformed chunks,
 * so the fuzz reaches every state of upload, download and sync.open.
 */
async function drive(raw: RawClient, rand: () => number, sessions: number): Promise<number[]> {
  const { pick, chunk, validUpdate, badUpdate } = fuzzInputs(rand);
  const sent: number[] = [];
  const ids: string[] = [];
  for (let session = 0; session < sessions; session++) {
    const id = rand() < 0.05 && ids.length > 0 ? pick(ids) : `fuzz-${session}-${Math.floor(rand() * 1e9)}`;
    ids.push(id);
    const kind = pick(["upload", "download", "sync"] as const);
    const [toolkit, tool] = kind === "sync" ? ["sync", "open"] : ["storage", kind];
    const openArgs = rand() < 0.9 ? { type: "control", method: "open" } : pick([null, 3, { type: "json", json: {} }]);
    sent.push(
      raw.send("room.invoke_tool", {
        toolkit,
        tool,
        tool_call_id: rand() < 0.95 ? id : pick([5, ""]),
        arguments: openArgs,
      }),
    );
    const start: JsonObject =
      kind === "upload"
        ? {
            kind: "start",
            path: `fuzz/${Math.floor(rand() * 3)}.bin`,
            overwrite: true,
            name: "x",
            mime_type: "x",
            size: pick([null, 10, 3000]),
          }
        : kind === "download"
          ? {
              kind: "start",
              path: pick(["keep/original.bin", "fuzz/0.bin", "missing.bin"]),
              chunk_size: pick([1024, 65536]),
            }
          : {
              kind: "start",
              path: pick([DOC, "fuzz/other.notes"]),
              create: true,
              vector: null,
              schema: notesSchema().toJson(),
              schema_path: null,
              initial_json: null,
            };
    const first = rand() < 0.8 ? { chunk: { type: "binary", headers: start } } : chunk();
    sent.push(raw.send("room.tool_call_request_chunk", { tool_call_id: id, chunk: first.chunk }, first.payload));
    const steps = Math.floor(rand() * 8);
    for (let i = 0; i < steps; i++) {
      let next: { chunk: unknown; payload?: Uint8Array };
      const r = rand();
      if (r < 0.4) {
        next =
          kind === "upload"
            ? {
                chunk: { type: "binary", headers: { kind: "data" } },
                payload: new Uint8Array(Math.floor(rand() * 2000)),
              }
            : kind === "download"
              ? { chunk: { type: "binary", headers: { kind: "pull" } } }
              : { chunk: { type: "binary", headers: { kind: "sync" } }, payload: b64(validUpdate()) };
      } else if (kind === "sync" && r < 0.75) {
        next = { chunk: { type: "binary", headers: { kind: "sync" } }, payload: badUpdate() };
      } else {
        next = chunk();
      }
      const target = rand() < 0.95 ? id : pick(["unknown", 3, null]);
      sent.push(raw.send("room.tool_call_request_chunk", { tool_call_id: target, chunk: next.chunk }, next.payload));
    }
    if (rand() < 0.7) {
      sent.push(
        raw.send("room.tool_call_request_chunk", { tool_call_id: id, chunk: { type: "control", method: "close" } }),
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  return sent;
}

it("malformed stream chunks and sync updates (seeded) leave the server, the room and other clients unharmed", async () => {
  await h.start({ maxMessageBytes: 64 * 1024 });
  const alice = await h.join("alice", { enable: false });
  const bob = await h.join("bob", { enable: false });
  const original = new Uint8Array(randomBytes(100_000));
  await alice.storage.upload("keep/original.bin", original);
  const a = await alice.sync.open(DOC, { schema: notesSchema() });
  const b = await bob.sync.open(DOC);

  const seeds = [1, 2, 3, 0xc0ffee];
  const fuzzers = await Promise.all(seeds.map(async (seed) => h.raw(await sdkToken({ name: `fuzz-${seed}` }))));
  const editing = (async () => {
    for (let i = 0; i < 30; i++) {
      a.root.createChildElement("note", { text: `a${i}` });
      b.root.createChildElement("note", { text: `b${i}` });
      await new Promise((resolve) => setTimeout(resolve, 3));
    }
  })();
  const sent = await Promise.all(fuzzers.map((raw, i) => drive(raw, prng(seeds[i]), 40)));
  await editing;

  // Every request was answered and every fuzzer socket is still open.
  for (const [i, raw] of fuzzers.entries()) {
    await waitFor(
      () => sent[i].every((id) => raw.received.some((m) => m.type === "__response__" && m.id === id)),
      `answers to all ${sent[i].length} requests of fuzzer ${seeds[i]}`,
      5000,
    );
    expect(raw.open, `fuzzer ${seeds[i]} socket`).toBe(true);
    expect(raw.streamErrors).toEqual([]);
  }
  // FUZZ_TALLY=1 prints which server answers the fuzz reached, to check its coverage after changing it.
  if (process.env.FUZZ_TALLY) {
    const tally = new Map<string, number>();
    for (const raw of fuzzers) {
      for (const m of raw.received) {
        if (m.type !== "room.tool_call_response_chunk") continue;
        const c = raw.headerOf(m).chunk as JsonObject;
        const key =
          c.type === "error"
            ? String(c.text).replace(/\d+/g, "N").slice(0, 70)
            : `${c.type}:${String((c.headers as JsonObject | undefined)?.kind ?? c.method)}`;
        tally.set(key, (tally.get(key) ?? 0) + 1);
      }
    }
    console.warn([...tally.entries()].sort((x, y) => y[1] - x[1]));
  }
  const health = await fetch(`${h.server.url.replace("ws", "http")}/healthz`);
  expect(health.status).toBe(200);

  // The honest clients still converge, and agree with a late joiner.
  a.root.createChildElement("note", { text: "final" });
  await waitFor(() => notesOf(b).includes("final"), "bob sees the final note", 5000);
  await waitFor(() => JSON.stringify(notesOf(a)) === JSON.stringify(notesOf(b)), "alice and bob converge", 5000);
  for (let i = 0; i < 30; i++) expect(notesOf(a)).toEqual(expect.arrayContaining([`a${i}`, `b${i}`]));
  expect(notesOf(a).every((text) => typeof text === "string")).toBe(true);
  const carol = await h.join("carol", { enable: false });
  const c = await withTimeout(carol.sync.open(DOC), 2000, "carol open");
  expect(notesOf(c)).toEqual(notesOf(a));

  // Files: the honest file is intact and nothing was written outside the room's files.
  expect(sha((await bob.storage.download("keep/original.bin")).data)).toBe(sha(original));
  expect(existsSync(path.join(h.dataDir, "..", "escape.bin"))).toBe(false);
  expect(existsSync(path.join(h.dataDir, "rooms", "escape.bin"))).toBe(false);
  await new Promise((resolve) => setTimeout(resolve, 50));
  for (const raw of fuzzers) raw.socket.terminate();
  await waitFor(() => (h.server.stats().rooms.test ?? []).length === 3, "fuzzers gone");
  // Aborted uploads leave no temporary files behind.
  const settled = async () =>
    (await fs.readdir(h.dataDir, { recursive: true })).filter((f) => String(f).endsWith(".part")).length;
  const deadline = Date.now() + 2000;
  while ((await settled()) > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
  expect(await settled()).toBe(0);
});

it("random valid Yjs updates of every content kind (seeded): what a MeshDocument holds applies, the rest is refused", async () => {
  await h.start();
  const alice = await h.join("alice", { enable: false });
  const a = await alice.sync.open(DOC, { schema: notesSchema() });
  a.root.createChildElement("note", { text: "honest" });
  const anyInsert = (target: Y.XmlElement | Y.XmlText, content: unknown[]) =>
    (target as unknown as { insert(i: number, c: unknown[]): void }).insert(0, content);
  const noteOf = (root: Y.XmlElement) => root.toArray().find((n) => n instanceof Y.XmlElement) as Y.XmlElement;
  const text = (root: Y.XmlElement) => {
    const t = new Y.XmlText();
    root.insert(0, [t]);
    return t;
  };
  const kinds: [string, boolean, (root: Y.XmlElement, doc: Y.Doc, rand: () => number) => void][] = [
    [
      "element",
      true,
      (root, _d, rand) => {
        const el = new Y.XmlElement("note");
        el.setAttribute("$id", `fuzz-${rand()}`);
        el.setAttribute("text", `t${rand()}`);
        root.insert(Math.floor(rand() * (root.length + 1)), [el]);
      },
    ],
    ["text with formats", true, (root) => text(root).insert(0, "hi", { bold: true, size: 3 })],
    ["primitive attributes", true, (root) => noteOf(root).setAttribute("text", "changed")],
    ["deletion", true, (root) => root.delete(0, Math.min(1, root.length))],
    ["number child (ContentAny)", false, (root) => anyInsert(root, [1])],
    ["object child (ContentAny)", false, (root) => anyInsert(root, [{ a: 1 }])],
    ["binary child", false, (root) => anyInsert(root, [new Uint8Array([1])])],
    ["sub-document", false, (root) => anyInsert(root, [new Y.Doc()])],
    ["object attribute", false, (root) => noteOf(root).setAttribute("text", { a: 1 } as never)],
    ["binary attribute", false, (root) => noteOf(root).setAttribute("x", new Uint8Array([1]) as never)],
    ["undeclared tag", false, (root) => root.insert(0, [new Y.XmlElement("iframe")])],
    ["embed", false, (root) => text(root).insertEmbed(0, { src: "x" })],
    ["object format", false, (root) => text(root).insert(0, "x", { style: { a: 1 } })],
    ["map root", false, (_root, doc) => doc.getMap("m").set("k", "v")],
  ];
  for (const seed of [7, 8, 9]) {
    const rand = prng(seed);
    const raw = await h.raw(await sdkToken({ name: `kinds-${seed}` }));
    let stream = await openRaw(raw, DOC, null);
    let mirror = mirrorOf(stream);
    for (let step = 0; step < 30; step++) {
      const [what, valid, apply] = kinds[Math.floor(rand() * kinds.length)];
      const root = mirror.get("xml", Y.XmlElement);
      if (noteOf(root) === undefined && what.includes("attribute")) continue;
      const before = Y.encodeStateVector(mirror);
      apply(root, mirror, rand);
      const update = Y.encodeStateAsUpdate(mirror, before);
      if (valid) {
        await sendUpdate(stream, update);
      } else {
        expect(await refusalOf(stream, update), `seed ${seed} step ${step}: ${what}`).toMatch(
          /^malformed sync update: /,
        );
        stream = await openRaw(raw, DOC, null);
        mirror = mirrorOf(stream);
      }
    }
    expect(
      stream.chunks.some((c) => c.header.type === "error"),
      `seed ${seed}: a valid update refused`,
    ).toBe(false);
  }
  // Everyone still reads the same document, and a newcomer opens it.
  const bob = await h.join("bob", { enable: false });
  const b = await withTimeout(bob.sync.open(DOC), 3000, "bob opens");
  await waitFor(() => notesOf(a).join("|") === notesOf(b).join("|"), "alice and bob agree", 5000);
}, 60_000);
