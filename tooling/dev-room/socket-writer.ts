// One serialized write queue per socket. The SDK's receiver keeps a single
// reassembly state per socket, so the frames of two messages must never
// interleave; messages are also kept in the order they were produced.
//
// Writing is decoupled from producing: `write()` only queues (a presence event
// fanned out to 500 peers is 500 array pushes), and one shared pump encodes and
// hands frames to ws in time-boxed turns, so a join storm in one room cannot
// hold the event loop for everyone else (D17). The backlog each writer reports
// drives sender-side flow control in server.ts (D7).

import type { Socket } from "node:net";
import { performance } from "node:perf_hooks";
import { WebSocket } from "ws";
import { encodeMessage, type ProtocolMessage } from "./framing";
import { FLOW_LIMITS, SEND_BATCH_MESSAGES, SEND_BUDGET_MS } from "./room-limits";
import { noteWrite } from "./flow-gate";

export interface MessageSink {
  write(message: ProtocolMessage): void;
}

export interface SocketWriterLimits {
  socketBufferBytes: number;
  highWaterBytes: number;
  lowWaterBytes: number;
  maxQueuedBytes: number;
  stallMs: number;
}

export type OverflowReason = "queue full" | "stalled" | "internal error";

export class SocketWriter implements MessageSink {
  private queue: ProtocolMessage[] = [];
  private head = 0;
  private queuedBytes = 0;
  private closed = false;
  private waitingForSocket = false;
  private stallTimer: NodeJS.Timeout | null = null;
  private drainWaiters: Array<() => void> = [];
  /** Largest backlog seen, for the server's flow statistics. */
  peakBacklog = 0;

  constructor(
    private readonly socket: WebSocket,
    private readonly onOverflow: (reason: OverflowReason) => void,
    private readonly limits: SocketWriterLimits = FLOW_LIMITS,
  ) {
    socket.once("close", () => this.close());
  }

  write(message: ProtocolMessage): void {
    if (this.closed) return;
    this.queue.push(message);
    this.queuedBytes += message.data.length;
    if (this.queuedBytes > this.limits.maxQueuedBytes) {
      this.overflow("queue full");
      return;
    }
    this.settle();
    pump.schedule(this);
    noteWrite(this, message.data.length);
  }

  /** Bytes not yet accepted by the kernel: queued here plus buffered inside ws. */
  backlog(): number {
    return this.closed ? 0 : this.queuedBytes + this.socket.bufferedAmount;
  }

  /** Over the high-water mark: whoever keeps writing into it should be slowed down. */
  get congested(): boolean {
    return this.backlog() > this.limits.highWaterBytes;
  }

  /** Resolves once the backlog is under the low-water mark or the writer is closed. */
  whenDrained(): Promise<void> {
    if (this.backlog() <= this.limits.lowWaterBytes) return Promise.resolve();
    return new Promise((resolve) => this.drainWaiters.push(resolve));
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.queue = [];
    this.head = 0;
    this.queuedBytes = 0;
    this.settle();
  }

  /** The raw socket, so the pump can cork it for the length of a turn. */
  rawSocket(): Socket | undefined {
    return (this.socket as unknown as { _socket?: Socket })._socket;
  }

  /**
   * Sends up to `maxMessages` whole messages while ws buffers less than the
   * socket limit. Returns true if it stopped with sendable work left.
   */
  flush(maxMessages: number): boolean {
    if (this.closed) return false;
    if (this.socket.readyState !== WebSocket.OPEN) {
      this.close();
      return false;
    }
    let sent = 0;
    while (this.head < this.queue.length) {
      if (this.socket.bufferedAmount > this.limits.socketBufferBytes) {
        // The send callback of a message already handed to ws reschedules us.
        this.waitingForSocket = true;
        return false;
      }
      if (sent === maxMessages) return true;
      const message = this.queue[this.head];
      this.queue[this.head++] = undefined as unknown as ProtocolMessage;
      this.queuedBytes -= message.data.length;
      const frames = encodeMessage(message);
      // All frames of a message go out synchronously, so nothing can slip in between.
      const last = frames.length - 1;
      for (let i = 0; i < last; i++) this.socket.send(frames[i], { binary: true });
      this.socket.send(frames[last], { binary: true }, this.onSent);
      sent++;
    }
    this.queue = [];
    this.head = 0;
    this.settle();
    return false;
  }

  private readonly onSent = (): void => {
    if (this.closed) return;
    // The reader took a message: slow, not stalled, so the stall clock starts again.
    if (this.stallTimer !== null) {
      clearTimeout(this.stallTimer);
      this.stallTimer = null;
    }
    this.settle();
    if (this.waitingForSocket && this.socket.bufferedAmount <= this.limits.socketBufferBytes) {
      this.waitingForSocket = false;
      pump.schedule(this);
    }
  };

  /** Wakes drain waiters and arms or disarms the stall timer after the backlog changed. */
  private settle(): void {
    const backlog = this.backlog();
    if (backlog > this.peakBacklog) this.peakBacklog = backlog;
    if (backlog <= this.limits.lowWaterBytes) {
      if (this.stallTimer !== null) {
        clearTimeout(this.stallTimer);
        this.stallTimer = null;
      }
      const waiters = this.drainWaiters;
      this.drainWaiters = [];
      for (const resolve of waiters) resolve();
    } else if (backlog > this.limits.highWaterBytes && this.stallTimer === null) {
      this.stallTimer = setTimeout(() => this.overflow("stalled"), this.limits.stallMs);
      this.stallTimer.unref();
    }
  }

  /** Gives up on this socket after an unexpected error while sending. */
  abort(): void {
    this.overflow("internal error");
  }

  private overflow(reason: OverflowReason): void {
    this.close();
    this.onOverflow(reason);
  }
}

/** Round-robin over writers with work, in turns of at most SEND_BUDGET_MS. */
class SendPump {
  private readonly ready = new Set<SocketWriter>();
  private scheduled = false;

  schedule(writer: SocketWriter): void {
    this.ready.add(writer);
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(this.turn);
    }
  }

  private readonly turn = (): void => {
    this.scheduled = false;
    const deadline = performance.now() + SEND_BUDGET_MS;
    // Corked for the whole turn: everything a socket gets in one turn leaves in one writev.
    const corked = new Set<Socket>();
    try {
      for (const writer of this.ready) {
        this.ready.delete(writer);
        const raw = writer.rawSocket();
        if (raw && !corked.has(raw)) {
          raw.cork();
          corked.add(raw);
        }
        try {
          // Re-added writers come round again at the end of the set: round robin.
          if (writer.flush(SEND_BATCH_MESSAGES)) this.ready.add(writer);
        } catch {
          writer.abort();
        }
        if (performance.now() > deadline) break;
      }
    } finally {
      for (const raw of corked) raw.uncork();
      if (this.ready.size > 0 && !this.scheduled) {
        this.scheduled = true;
        setImmediate(this.turn);
      }
    }
  };
}

const pump = new SendPump();
