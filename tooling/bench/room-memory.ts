/**
 * Room server memory after 500 shared documents opened and closed (issue 18
 * §4): the local room in its own process, one SDK client in the bench process
 * opening 500 distinct documents one after another, adding a note to each and
 * closing it. A document nobody holds is saved and dropped from memory, so the
 * room should end where it started. Goal 8: RSS within 10 MiB of the start.
 *
 * "Where it started": the room server started, the client connected, and one
 * warm-up document opened, edited, closed and dropped (the code paths, the JIT
 * and the first allocations of a document are start-up, not growth); then
 * SETTLE_MS idle. The end is read the same way: all 500 dropped, then
 * SETTLE_MS idle. RSS is the room process's own (/usage), as the OS counts
 * it; the V8 heap figures beside it say what the JavaScript heap holds.
 *
 * Run alone: npx tsx tooling/bench/room-memory.ts (BENCH_ROOM_DOCUMENTS)
 */

import { randomBytes } from "node:crypto";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { ParticipantToken, Protocol, RoomClient, WebSocketProtocolChannel } from "@meshagent/meshagent";
import { notesSchema } from "../testing/notes-document";
import { sleep, stopAll } from "./lib/proc";
import { startDevRoomCli, type DevRoomCli } from "./lib/dev-room-cli";
import { goal, row, type BenchResult } from "./lib/table";

const ROOM = "bench-memory";
const BOUND_MIB = 10;
const SETTLE_MS = 3000;
const mib = (bytes: number) => bytes / 2 ** 20;

interface RoomMemory {
  rssBytes: number;
  heapUsedBytes: number;
  heapTotalBytes: number;
  externalBytes: number;
  documents: { inMemory: number };
}

async function readMemory(room: DevRoomCli): Promise<RoomMemory> {
  const response = await fetch(`http://127.0.0.1:${room.port}/usage`, { signal: AbortSignal.timeout(5000) });
  return (await response.json()) as RoomMemory;
}

/** Waits until the room holds no document, then SETTLE_MS more, and reads its memory. */
async function settled(room: DevRoomCli): Promise<RoomMemory> {
  const deadline = Date.now() + 60_000;
  while ((await readMemory(room)).documents.inMemory > 0) {
    if (Date.now() > deadline) throw new Error("documents still in the room's memory 60 s after they were closed");
    await sleep(100);
  }
  await sleep(SETTLE_MS);
  return readMemory(room);
}

export async function roomMemoryBench(documents = 500) {
  const secret = randomBytes(24).toString("hex");
  const room = await startDevRoomCli(secret);
  const log = console.log;
  // The SDK logs every applied change and every chunk response.
  console.log = () => {};
  let client: RoomClient | null = null;
  try {
    const token = new ParticipantToken({ name: "opener" });
    token.addRoomGrant(ROOM);
    token.addRoleGrant("user");
    const jwt = await token.toJwt({ token: secret });
    client = new RoomClient({
      protocol: new Protocol({ channel: new WebSocketProtocolChannel({ url: `${room.url}/rooms/${ROOM}`, jwt }) }),
    });
    await client.start();
    const opened = client;
    const cycle = async (i: number) => {
      const docPath = `memory/${i}.notes`;
      const doc = await opened.sync.open(docPath, { schema: notesSchema() });
      doc.root.createChildElement("note", { text: `note ${i} `.repeat(20) });
      await opened.sync.close(docPath);
    };
    await cycle(0);
    const start = await settled(room);
    const started = Date.now();
    let peakRssBytes = start.rssBytes;
    for (let i = 1; i <= documents; i++) {
      await cycle(i);
      if (i % 50 === 0) peakRssBytes = Math.max(peakRssBytes, (await readMemory(room)).rssBytes);
    }
    const cyclesMs = Date.now() - started;
    const end = await settled(room);
    return { documents, start, end, peakRssBytes, cyclesMs };
  } finally {
    client?.dispose();
    console.log = log;
    await room.stop();
  }
}

const describe = (m: RoomMemory) =>
  `RSS ${mib(m.rssBytes).toFixed(1)} MiB, V8 heap ${mib(m.heapUsedBytes).toFixed(1)} used of ` +
  `${mib(m.heapTotalBytes).toFixed(1)} MiB, external ${mib(m.externalBytes).toFixed(1)} MiB`;

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const load = os.loadavg()[0];
  roomMemoryBench(Number(process.env.BENCH_ROOM_DOCUMENTS) || 500).then(
    async (r) => {
      console.log(`room memory bench: ${r.documents} documents, load ${load.toFixed(1)} at start`);
      console.log(`  start: ${describe(r.start)}`);
      console.log(`  end:   ${describe(r.end)}`);
      console.log(
        `  RSS ${mib(r.end.rssBytes - r.start.rssBytes) >= 0 ? "+" : ""}${mib(r.end.rssBytes - r.start.rssBytes).toFixed(1)} MiB ` +
          `(peak ${mib(r.peakRssBytes).toFixed(1)} MiB), ${(r.cyclesMs / r.documents).toFixed(1)} ms per document`,
      );
      await stopAll();
      process.exit(0);
    },
    async (error: unknown) => {
      console.error(`room memory bench failed: ${error instanceof Error ? error.stack : String(error)}`);
      await stopAll();
      process.exit(1);
    },
  );
}

/** `npm run bench -- room-memory`. */
export async function roomMemory(): Promise<Omit<BenchResult, "durationMs">> {
  const r = await roomMemoryBench(Number(process.env.BENCH_ROOM_DOCUMENTS) || 500);
  const grewMiB = mib(r.end.rssBytes - r.start.rssBytes);
  return {
    name: "room-memory",
    title: `Local room memory: ${r.documents} shared documents opened, edited and closed one after another`,
    rows: [
      row("room server RSS at the start (MiB)", mib(r.start.rssBytes), ""),
      row(`room server RSS after ${r.documents} documents (MiB)`, mib(r.end.rssBytes), ""),
      row("RSS growth (MiB)", grewMiB, "", `<= ${BOUND_MIB}`, grewMiB <= BOUND_MIB),
      row("peak RSS while opening (MiB)", mib(r.peakRssBytes), ""),
      row(
        "V8 heap used, start -> end (MiB)",
        `${mib(r.start.heapUsedBytes).toFixed(1)} -> ${mib(r.end.heapUsedBytes).toFixed(1)}`,
        "",
      ),
      row(
        "V8 heap total, start -> end (MiB)",
        `${mib(r.start.heapTotalBytes).toFixed(1)} -> ${mib(r.end.heapTotalBytes).toFixed(1)}`,
        "",
      ),
      row("documents in memory at the end", r.end.documents.inMemory, "", "0", r.end.documents.inMemory === 0),
      row("open + edit + close, per document (ms)", r.cyclesMs / r.documents, ""),
    ],
    goals: [
      goal(
        "8",
        `local room RSS after ${r.documents} documents opened and closed`,
        grewMiB,
        `${grewMiB >= 0 ? "+" : ""}${grewMiB.toFixed(1)} MiB`,
        `<= +${BOUND_MIB} MiB`,
        grewMiB <= BOUND_MIB && r.end.documents.inMemory === 0,
      ),
    ],
    notes: [
      `Start: after one warm-up document was opened, closed and dropped, then ${SETTLE_MS / 1000} s idle; end: all dropped, then ${SETTLE_MS / 1000} s idle. Room server in its own process, the client in the bench process.`,
    ],
    details: { ...r },
  };
}
