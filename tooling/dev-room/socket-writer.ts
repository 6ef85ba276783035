// One serialized write queue per socket. The SDK's receiver keeps a single
// reassembly state per socket, so the frames of two messages must never
// interleave; messages are also kept in the order they were produced.

import { WebSocket } from "ws";
import { encodeMessage, type ProtocolMessage } from "./framing";

export interface MessageSink {
  write(message: ProtocolMessage): void;
}

export interface SocketWriterLimits {
  /** Pause writing while ws has more than this many bytes buffered. */
  highWaterBytes: number;
  /** A peer this far behind is dropped instead of growing memory without bound. */
  maxQueuedBytes: number;
}

const DEFAULT_LIMITS: SocketWriterLimits = { highWaterBytes: 1 << 20, maxQueuedBytes: 16 << 20 };

export class SocketWriter implements MessageSink {
  private queue: ProtocolMessage[] = [];
  private queuedBytes = 0;
  private draining = false;
  private closed = false;
  private wakeDrain: (() => void) | null = null;

  constructor(
    private readonly socket: WebSocket,
    private readonly onOverflow: () => void,
    private readonly limits: SocketWriterLimits = DEFAULT_LIMITS,
  ) {
    socket.once("close", () => this.close());
  }

  write(message: ProtocolMessage): void {
    if (this.closed) return;
    this.queue.push(message);
    this.queuedBytes += message.data.length;
    if (this.queuedBytes > this.limits.maxQueuedBytes) {
      this.close();
      this.onOverflow();
      return;
    }
    this.corkUntilNextTick();
    if (!this.draining) void this.drain();
  }

  /** Everything written in this tick leaves in one writev instead of one per frame. */
  private corked = false;
  private corkUntilNextTick(): void {
    const raw = (this.socket as unknown as { _socket?: import("node:net").Socket })._socket;
    if (this.corked || !raw) return;
    this.corked = true;
    raw.cork();
    process.nextTick(() => {
      this.corked = false;
      raw.uncork();
    });
  }

  close(): void {
    this.closed = true;
    this.queue = [];
    this.queuedBytes = 0;
    this.wakeDrain?.();
  }

  private async drain(): Promise<void> {
    this.draining = true;
    try {
      while (!this.closed && this.queue.length > 0) {
        if (this.socket.readyState !== WebSocket.OPEN) {
          this.close();
          return;
        }
        const message = this.queue.shift()!;
        this.queuedBytes -= message.data.length;
        const frames = encodeMessage(message);
        // All frames of a message go out synchronously, so nothing can slip in between.
        let lastSent: Promise<void> | null = null;
        frames.forEach((frame, i) => {
          if (i < frames.length - 1) {
            this.socket.send(frame, { binary: true });
          } else {
            lastSent = new Promise<void>((resolve) => {
              this.wakeDrain = resolve;
              this.socket.send(frame, { binary: true }, () => resolve());
            });
          }
        });
        if (this.socket.bufferedAmount > this.limits.highWaterBytes && lastSent) await lastSent;
        this.wakeDrain = null;
      }
    } finally {
      this.draining = false;
    }
  }
}
