/**
 * Child process: the "limit" for room fan-out. A bare `ws` broadcast server:
 * every binary message a client sends goes as-is to every other client, then
 * a 1-byte ack goes back to the sender (the same flow control the SDK gets
 * from its broadcast request/response). No framing, no JSON, no rooms.
 * Env: BENCH_PORT. Prints `BENCH_READY <port>`.
 */

import { WebSocket, WebSocketServer } from "ws";
import { exitWithParent } from "./child-lifetime";

const port = Number(process.env.BENCH_PORT);
const ACK = Buffer.from([1]);
const wss = new WebSocketServer({ host: "127.0.0.1", port, perMessageDeflate: false, maxPayload: 64 * 1024 });

wss.on("connection", (socket) => {
  socket.on("error", () => {});
  socket.on("message", (data, isBinary) => {
    if (!isBinary) return;
    for (const peer of wss.clients) {
      if (peer !== socket && peer.readyState === WebSocket.OPEN) peer.send(data, { binary: true });
    }
    socket.send(ACK, { binary: true });
  });
});

wss.on("listening", () => console.log(`BENCH_READY ${port}`));
exitWithParent(
  () =>
    new Promise<void>((resolve) => {
      for (const client of wss.clients) client.terminate();
      wss.close(() => resolve());
    }),
);
