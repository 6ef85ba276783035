/**
 * Storage and document sync through the local room, with the real SDK client:
 * - upload and download throughput of a 5 MiB file (room.storage.upload /
 *   download), against a raw `ws` binary transfer of the same bytes in 64 KiB
 *   frames on the same machine, same run (the floor any protocol pays);
 * - time for two clients editing one document (500 edits each, 1,000 in all)
 *   until both hold the same 1,000 notes.
 *
 * Everything runs in this process (servers and clients), on loopback, with a
 * temporary data folder; one untimed warm-up transfer per side, then the best
 * of `runs`. Run alone: npx tsx tooling/bench/storage.ts
 */

import { createHash, randomBytes } from "node:crypto";
import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { WebSocket, WebSocketServer } from "ws";
import {
  ChildProperty,
  Element,
  ElementType,
  MeshSchema,
  ParticipantToken,
  Protocol,
  RoomClient,
  SimpleValue,
  ValueProperty,
  WebSocketProtocolChannel,
  type MeshDocument,
} from "@meshagent/meshagent";
import { startDevRoomServer, type DevRoomServer } from "../dev-room/server";

export interface StorageBenchResult {
  fileBytes: number;
  /** Best of `runs`, in MiB/s. */
  uploadMiBps: number;
  downloadMiBps: number;
  rawWsUploadMiBps: number;
  rawWsDownloadMiBps: number;
  runs: number;
  edits: number;
  /** From the first edit until both clients hold all edits, identical. */
  convergeMs: number;
}

const SECRET = "storage-bench-secret-0123456789abcdef";
const ROOM = "bench-storage";
const MiB = 1024 * 1024;

async function connect(server: DevRoomServer, name: string): Promise<RoomClient> {
  const token = new ParticipantToken({ name });
  token.addRoomGrant(ROOM);
  token.addRoleGrant("user");
  const jwt = await token.toJwt({ token: SECRET });
  const room = new RoomClient({
    protocol: new Protocol({ channel: new WebSocketProtocolChannel({ url: `${server.url}/rooms/${ROOM}`, jwt }) }),
  });
  await room.start();
  return room;
}

const sha = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");
const mibps = (bytes: number, ms: number) => bytes / MiB / (ms / 1000);

async function sdkTransfer(server: DevRoomServer, bytes: Uint8Array, runs: number) {
  const [a, b] = [await connect(server, "uploader"), await connect(server, "downloader")];
  let up = 0;
  let down = 0;
  try {
    // Warm-up (JIT, first file-system writes), not measured.
    await a.storage.upload("bench/warmup.bin", bytes.subarray(0, 1 << 20));
    await b.storage.download("bench/warmup.bin");
    for (let run = 0; run < runs; run++) {
      const file = `bench/file-${run}.bin`;
      let t = performance.now();
      await a.storage.upload(file, bytes);
      up = Math.max(up, mibps(bytes.length, performance.now() - t));
      t = performance.now();
      const got = await b.storage.download(file);
      down = Math.max(down, mibps(bytes.length, performance.now() - t));
      if (sha(got.data) !== sha(bytes)) throw new Error("downloaded bytes differ");
    }
  } finally {
    a.dispose();
    b.dispose();
  }
  return { up, down };
}

/** The same bytes over a bare ws connection: 64 KiB binary frames, one ack at the end. */
async function rawTransfer(bytes: Uint8Array, runs: number) {
  const FRAME = 64 * 1024;
  const wss = new WebSocketServer({ port: 0, host: "127.0.0.1", maxPayload: 1 << 20 });
  await new Promise<void>((resolve) => wss.once("listening", () => resolve()));
  const port = (wss.address() as { port: number }).port;
  wss.on("connection", (ws) => {
    let received = 0;
    ws.on("message", (data: Buffer, isBinary) => {
      if (!isBinary && data.toString() === "download") {
        for (let o = 0; o < bytes.length; o += FRAME) ws.send(bytes.subarray(o, o + FRAME));
        return;
      }
      received += data.length;
      if (received >= bytes.length) {
        received = 0;
        ws.send("ok");
      }
    });
  });
  const ws = new WebSocket(`ws://127.0.0.1:${port}`);
  await new Promise<void>((resolve, reject) => {
    ws.once("open", () => resolve());
    ws.once("error", reject);
  });
  let up = 0;
  let down = 0;
  try {
    for (let run = 0; run < runs + 1; run++) {
      // Run 0 warms up, like the SDK side.
      const measured = run > 0;
      let t = performance.now();
      const acked = new Promise<void>((resolve) => ws.once("message", () => resolve()));
      for (let o = 0; o < bytes.length; o += FRAME) ws.send(bytes.subarray(o, o + FRAME));
      await acked;
      if (measured) up = Math.max(up, mibps(bytes.length, performance.now() - t));
      t = performance.now();
      const parts: Buffer[] = [];
      let got = 0;
      await new Promise<void>((resolve) => {
        const onMessage = (data: Buffer) => {
          parts.push(data);
          got += data.length;
          if (got >= bytes.length) {
            ws.off("message", onMessage);
            resolve();
          }
        };
        ws.on("message", onMessage);
        ws.send("download");
      });
      if (measured) down = Math.max(down, mibps(bytes.length, performance.now() - t));
      if (sha(Buffer.concat(parts)) !== sha(bytes)) throw new Error("raw download differs");
    }
  } finally {
    ws.terminate();
    await new Promise<void>((resolve) => wss.close(() => resolve()));
  }
  return { up, down };
}

function notesSchema(): MeshSchema {
  return new MeshSchema({
    rootTagName: "notes",
    elements: [
      new ElementType({
        tagName: "notes",
        description: "",
        properties: [new ChildProperty({ name: "items", childTagNames: ["note"] })],
      }),
      new ElementType({
        tagName: "note",
        description: "",
        properties: [new ValueProperty({ name: "text", type: SimpleValue.string })],
      }),
    ],
  });
}

const notes = (doc: MeshDocument) =>
  doc.root.getChildren().map((c) => (c instanceof Element ? String(c.getAttribute("text")) : ""));

async function converge(server: DevRoomServer, edits: number): Promise<number> {
  const [a, b] = [await connect(server, "editor-a"), await connect(server, "editor-b")];
  try {
    const docA = await a.sync.open("bench/notes.notes", { schema: notesSchema() });
    const docB = await b.sync.open("bench/notes.notes");
    const t = performance.now();
    for (let i = 0; i < edits / 2; i++) {
      docA.root.createChildElement("note", { text: `a${i}` });
      docB.root.createChildElement("note", { text: `b${i}` });
    }
    const deadline = Date.now() + 120_000;
    for (;;) {
      const [na, nb] = [notes(docA), notes(docB)];
      if (na.length === edits && nb.length === edits && na.join("\n") === nb.join("\n")) break;
      if (Date.now() > deadline) throw new Error(`no convergence: ${na.length} vs ${nb.length}`);
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    return performance.now() - t;
  } finally {
    a.dispose();
    b.dispose();
  }
}

export async function storageBench({
  fileBytes = 5 * MiB,
  runs = 3,
  edits = 1000,
}: { fileBytes?: number; runs?: number; edits?: number } = {}): Promise<StorageBenchResult> {
  // The SDK logs every response and every applied document change.
  const log = console.log;
  console.log = (...args: unknown[]) => {
    if (args[0] === "GOT RESPONSE" || args[0] === "Applying changes to doc:") return;
    log(...args);
  };
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), "bench-storage-"));
  const server = await startDevRoomServer({ port: 0, secret: SECRET, dataDir });
  try {
    const bytes = new Uint8Array(randomBytes(fileBytes));
    const sdk = await sdkTransfer(server, bytes, runs);
    const raw = await rawTransfer(bytes, runs);
    const convergeMs = await converge(server, edits);
    return {
      fileBytes,
      uploadMiBps: sdk.up,
      downloadMiBps: sdk.down,
      rawWsUploadMiBps: raw.up,
      rawWsDownloadMiBps: raw.down,
      runs,
      edits,
      convergeMs,
    };
  } finally {
    await server.close();
    await fs.rm(dataDir, { recursive: true, force: true });
    console.log = log;
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  storageBench().then(
    (r) => {
      const f = (n: number) => n.toFixed(1);
      console.log(
        `storage bench (${(r.fileBytes / MiB).toFixed(0)} MiB file, best of ${r.runs}; ${os.cpus().length} cores)`,
      );
      console.log(`  upload    SDK via dev room ${f(r.uploadMiBps)} MiB/s   raw ws ${f(r.rawWsUploadMiBps)} MiB/s`);
      console.log(`  download  SDK via dev room ${f(r.downloadMiBps)} MiB/s   raw ws ${f(r.rawWsDownloadMiBps)} MiB/s`);
      console.log(`  sync      ${r.edits} edits (2 clients) converged in ${r.convergeMs.toFixed(0)} ms`);
      process.exit(0);
    },
    (error: unknown) => {
      console.error(`storage bench failed: ${error instanceof Error ? error.stack : String(error)}`);
      process.exit(1);
    },
  );
}
