// 18 §4: opening and closing 500 distinct documents leaves none of them in the
// room server's memory (documents nobody has open are saved and dropped), and
// prints how its RSS moved. The server runs as `npm run dev:room` does (its
// own process, its node flags), so the RSS is its own and not the test's. The
// goal (RSS within 10 MiB) is decided by `npm run bench -- room-memory`
// (tooling/bench/room-memory.ts), not here: RSS on a loaded machine is a
// measurement, not a test result.

import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, expect, it } from "vitest";
import { Protocol, RoomClient, WebSocketProtocolChannel } from "@meshagent/meshagent";
import { sdkToken, startRoomProcess, withTimeout } from "./test-helpers";
import { notesSchema } from "../testing/notes-document";
import { silenceSyncLog } from "./sync-test-helpers";

const SECRET = "sync-memory-secret";
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

interface Usage {
  rssBytes: number;
  documents: { inMemory: number };
}

it("500 documents opened, edited and closed all leave the server's memory (RSS printed)", async () => {
  silenceSyncLog();
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), "dev-room-memory-"));
  cleanups.push(() => fs.rm(dataDir, { recursive: true, force: true }));
  const room = await startRoomProcess(
    "npm",
    ["run", "--silent", "dev:room"],
    { DEV_ROOM_SECRET: SECRET, DEV_ROOM_DATA_DIR: dataDir },
    60_000,
  );
  cleanups.push(room.stop);
  const url = room.url;
  const usage = async (): Promise<Usage> => (await fetch(`${url.replace(/^ws/, "http")}/usage`)).json();

  const client = new RoomClient({
    protocol: new Protocol({
      channel: new WebSocketProtocolChannel({
        url: `${url}/rooms/memory`,
        jwt: await sdkToken({ name: "opener", room: "memory", secret: SECRET }),
      }),
    }),
  });
  cleanups.push(() => client.dispose());
  await withTimeout(client.start(), 10_000, "start()");
  const cycle = async (from: number, count: number): Promise<void> => {
    for (let i = from; i < from + count; i++) {
      const docPath = `memory/${i}.notes`;
      const doc = await withTimeout(client.sync.open(docPath, { schema: notesSchema() }), 10_000, `open ${i}`);
      doc.root.createChildElement("note", { text: `note ${i} `.repeat(20) });
      await client.sync.close(docPath);
    }
  };
  // Warm up: the code paths, the JIT and the first allocations are not what is measured.
  await cycle(0, 50);
  let state = await usage();
  const deadline = Date.now() + 20_000;
  while (state.documents.inMemory > 0 && Date.now() < deadline) state = await usage();
  const start = state.rssBytes;
  await cycle(50, 500);
  const settle = Date.now() + 20_000;
  state = await usage();
  while (state.documents.inMemory > 0 && Date.now() < settle) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    state = await usage();
  }
  // A moment for the collector; RSS is read as the server reports it.
  await new Promise((resolve) => setTimeout(resolve, 2000));
  state = await usage();
  const grew = (state.rssBytes - start) / 2 ** 20;
  console.info(
    `18 §4: 500 documents opened, edited and closed: server RSS ${(start / 2 ** 20).toFixed(1)} -> ` +
      `${(state.rssBytes / 2 ** 20).toFixed(1)} MiB (${grew >= 0 ? "+" : ""}${grew.toFixed(1)} MiB), ` +
      `${state.documents.inMemory} documents in memory`,
  );
  expect(state.documents.inMemory).toBe(0);
}, 240_000);
