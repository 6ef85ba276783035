/**
 * Child process: the local dev room server (dev-room/server.ts) on its own
 * core. Env: BENCH_ROOM_PORT, BENCH_ROOM_SECRET. Prints `BENCH_READY <port>`.
 */

import { startDevRoomServer } from "../../dev-room/server";
import { exitWithParent } from "./child-lifetime";

const server = await startDevRoomServer({
  port: Number(process.env.BENCH_ROOM_PORT ?? 0),
  host: "127.0.0.1",
  secret: process.env.BENCH_ROOM_SECRET ?? "",
});
exitWithParent(() => server.close());
console.log(`BENCH_READY ${server.port}`);
