// Sender-side flow control, per destination (D7, 19 M3): when a sender has
// written more than its share (1 MiB) into a socket that is over the
// high-water mark, reading from that sender stops until that socket is back
// under the low-water mark (or closed). Senders whose traffic does not reach
// the congested socket are never paused, nor are those that only add a little
// to it (a chat message broadcast to the room), so one reader that stops
// reading cannot stall its room; whoever floods it waits for it. What others
// add stays bounded by the socket's queue cap and stall time (room-limits.ts).
//
// "Caused by" follows the sender's message through everything it triggers,
// asynchronous work included (a document update relayed after an await, a
// storage event): the message is handled inside an AsyncLocalStorage context
// that names its sender's gate, and every socket write checks it.

import { AsyncLocalStorage } from "node:async_hooks";
import { WebSocket } from "ws";

/** What the gate needs from a destination socket's writer. */
export interface Congestible {
  readonly congested: boolean;
  whenDrained(): Promise<void>;
}

/** Bytes one sender may add to a congested socket before it is paused. */
const SENDER_SHARE_BYTES = 1 << 20;

export class SenderGate {
  private readonly waitingOn = new Set<Congestible>();
  /** Bytes written to each congested destination since it was last drained. */
  private readonly shares = new Map<Congestible, number>();

  constructor(private readonly socket: WebSocket) {}

  wrote(destination: Congestible, bytes: number): void {
    const before = this.shares.get(destination);
    const share = (before ?? 0) + bytes;
    this.shares.set(destination, share);
    if (before === undefined) void destination.whenDrained().then(() => this.shares.delete(destination));
    if (share > SENDER_SHARE_BYTES) this.blockOn(destination);
  }

  /** Stop reading the sender until `destination` drains. */
  private blockOn(destination: Congestible): void {
    if (this.waitingOn.has(destination)) return;
    this.waitingOn.add(destination);
    this.socket.pause();
    void destination.whenDrained().then(() => {
      this.waitingOn.delete(destination);
      if (this.waitingOn.size === 0 && this.socket.readyState === WebSocket.OPEN) this.socket.resume();
    });
  }
}

const currentSender = new AsyncLocalStorage<SenderGate>();

/** Runs the handling of one sender's input with writes attributed to it. */
export function asSender<T>(gate: SenderGate, run: () => T): T {
  return currentSender.run(gate, run);
}

/** Called by a socket's writer after queueing `bytes`. */
export function noteWrite(destination: Congestible, bytes: number): void {
  if (!destination.congested) return;
  currentSender.getStore()?.wrote(destination, bytes);
}
