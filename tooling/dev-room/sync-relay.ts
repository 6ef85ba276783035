// What the subscribers of a shared document receive. Relaying each change as
// it happens costs one message per change per subscriber, and each message
// costs its receiver more than the change itself: the SDK applies it, re-reads
// the document, and sends it back (its echo, one awaited round trip). In a
// burst (50 people voting at once) that is 50 x 49 messages in and as many
// echoes out. So changes applied in one turn of the event loop go out
// together: one Yjs update (Y.mergeUpdates of them all), base64-encoded once,
// to every subscriber but one who made all of them.

import * as Y from "yjs";

/** Relay counters for /usage and the benchmarks. */
export interface SyncTraffic {
  /** Sync updates received from clients. */
  updatesIn: number;
  /** Of those, updates that changed nothing (echoes) and were dropped unapplied. */
  updatesAddingNothing: number;
  /** Sync messages sent to subscribers with others' changes. */
  relayMessages: number;
  /** Turns of the event loop whose changes were relayed (each one message per subscriber at most). */
  relayBatches: number;
}

/** One relayed update; its base64 text is made once, however many subscribers get it. */
export class RelayedUpdate {
  private encoded: Buffer | null = null;

  constructor(readonly update: Uint8Array) {}

  /** The UTF-8 bytes of the update's base64 text (what the SDK's sync client expects as payload). */
  base64(): Buffer {
    this.encoded ??= Buffer.from(Buffer.from(this.update).toString("base64"), "utf8");
    return this.encoded;
  }
}

interface Change<S> {
  update: Uint8Array;
  origin: S | unknown;
}

export class RelayQueue<S extends { send(update: RelayedUpdate): void }> {
  private pending: Change<S>[] = [];
  private scheduled = false;

  constructor(
    private readonly subscribers: ReadonlySet<S>,
    private readonly traffic: SyncTraffic,
    /** The flush runs outside any request: what goes wrong is reported here, never thrown (it would end the room). */
    private readonly failed: (error: unknown) => void,
  ) {}

  /** Queues a change that `origin` (a subscriber, or anything else for the room's own) made. */
  add(update: Uint8Array, origin: S | unknown): void {
    this.pending.push({ update, origin });
    if (this.scheduled) return;
    this.scheduled = true;
    // After the I/O callbacks of this turn: everything read from the sockets in it is batched.
    setImmediate(() => this.flush());
  }

  private flush(): void {
    const changes = this.pending;
    this.pending = [];
    this.scheduled = false;
    if (this.subscribers.size === 0) return;
    this.traffic.relayBatches++;
    let relayed: RelayedUpdate;
    try {
      relayed = new RelayedUpdate(merge(changes));
    } catch (error) {
      this.failed(error);
      return;
    }
    const origins = new Set(changes.map((change) => change.origin));
    const [onlyOrigin] = origins.size === 1 ? origins : [];
    for (const subscriber of this.subscribers) {
      // Nothing new for the one who made every change. When several made them, each gets the same merged
      // update, its own changes included: Yjs skips what it has (nothing changes, so nothing is echoed),
      // and one merge serves all, where a merge of the others' changes per subscriber costs O(n^2).
      if (subscriber === onlyOrigin) continue;
      this.traffic.relayMessages++;
      try {
        subscriber.send(relayed);
      } catch (error) {
        this.failed(error);
      }
    }
  }
}

function merge<S>(changes: Change<S>[]): Uint8Array {
  return changes.length === 1 ? changes[0].update : Y.mergeUpdates(changes.map((change) => change.update));
}
