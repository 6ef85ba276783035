import type { RoomClient } from "@meshagent/meshagent";

/**
 * Asks the browser to hand the room's WebSocket frames over as ArrayBuffers.
 * By default a binary frame arrives as a Blob, and the SDK reads each one
 * with `blob.arrayBuffer()`: a promise per room message, through the
 * browser's blob storage. That was the page's largest single JavaScript cost
 * while an agent streamed an answer or replayed a long thread
 * (tooling/bench/agent-long-*.ts); the SDK takes ArrayBuffers as they are.
 *
 * Only while the socket is still connecting: no frame has arrived yet, so
 * none can overtake a Blob still being read (which would reorder messages).
 * Later, or with a channel of another shape, it does nothing.
 */
export function receiveFramesAsArrayBuffers(client: RoomClient): void {
  const channel = (client.protocol as unknown as { channel?: { webSocket?: unknown } }).channel;
  const socket = channel?.webSocket;
  if (typeof WebSocket !== "undefined" && socket instanceof WebSocket && socket.readyState === WebSocket.CONNECTING) {
    socket.binaryType = "arraybuffer";
  }
}
