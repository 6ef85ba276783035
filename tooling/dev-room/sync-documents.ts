// Shared documents for document sync: one Y.Doc per path per room while
// someone has it open, its schema kept with it, saved through DocumentFile
// (snapshot + append-only log, sync-persistence.ts) and loaded again on the
// next open. Updates are checked before they touch the document
// (sync-update-check.ts), and what others receive is Yjs's own re-encoding of
// the change, coalesced: everything applied in one turn of the event loop goes
// to each subscriber as one update (sync-relay.ts). A document nobody holds is
// saved and then dropped from memory.

import { createHash } from "node:crypto";
import path from "node:path";
import * as Y from "yjs";
import { ErrorCode, RequestError } from "./content";
import type { RoomStorage } from "./storage-store";
import { DocumentFile, type PersistenceStats } from "./sync-persistence";
import { RelayQueue, type RelayedUpdate, type SyncTraffic } from "./sync-relay";
import { checkUpdate, removeUndeclaredElements } from "./sync-update-check";
import type { DocumentSchema } from "./sync-schema";
import { sameSchema, tryParseSchema } from "./sync-schema";

export interface Subscriber {
  /** Receives changes some other subscriber (or nobody) caused, as one Yjs v1 update. */
  send(update: RelayedUpdate): void;
}

export interface SyncLimits {
  /** Largest encoded size (Yjs v1 update of the whole document) a document may reach. */
  maxDocumentBytes: number;
  /** Delay from the first unsaved change to its write. */
  saveDelayMs: number;
}

/**
 * DEV_ROOM_MAX_DOCUMENT_BYTES default: 640 KiB. SDK 0.35.8 sends the whole
 * state it received at open straight back as one sync chunk (an echo the room
 * ignores); base64-encoded, that chunk must fit in one message (1 MiB).
 */
export const DEFAULT_MAX_DOCUMENT_BYTES = 640 * 1024;

export function documentTooLarge(docPath: string, bytes: number, limit: number, what: string): RequestError {
  return new RequestError(
    `document too large: ${docPath} ${what} ${bytes} bytes, the limit is ${limit} bytes (DEV_ROOM_MAX_DOCUMENT_BYTES)`,
    ErrorCode.INVALID_REQUEST,
  );
}

/** Transaction origin of updates loaded from disk or built by the room itself. */
const RESTORED = Symbol("restored");

export class SyncDocument {
  readonly doc = new Y.Doc({ gc: true });
  readonly subscribers = new Set<Subscriber>();
  readonly file: DocumentFile;
  /** Open handlers and requests using the document; at 0 it may be evicted. */
  holders = 0;
  /** Encoded size when last measured, plus the size of every update applied since: never below the real size. */
  private sizeBound = 0;
  private measuredAt = 0;
  private schemaInfo: DocumentSchema | null;
  private readonly relay: RelayQueue<Subscriber>;

  constructor(
    readonly room: string,
    readonly path: string,
    schema: DocumentSchema | null,
    file: string,
    private readonly limits: SyncLimits,
    stats: PersistenceStats,
    private readonly traffic: SyncTraffic,
    private readonly changed: (d: SyncDocument) => void,
    private readonly log: (line: string) => void,
  ) {
    this.schemaInfo = schema;
    this.relay = new RelayQueue(this.subscribers, traffic, (error) =>
      log(`relaying a change to ${path} in room ${room} failed: ${String(error)}`),
    );
    this.file = new DocumentFile(
      file,
      { path, schemaJson: () => this.schemaInfo?.json ?? null, encodeState: () => this.state() },
      stats,
    );
    this.doc.on("update", (update: Uint8Array, origin: unknown) => {
      this.sizeBound += update.length;
      // Restored content is on disk already, or saved whole by the snapshot a new document asks for.
      if (origin === RESTORED) return;
      this.relay.add(update, origin);
      this.file.append(update);
      this.changed(this);
    });
  }

  get schema(): DocumentSchema | null {
    return this.schemaInfo;
  }

  /** The first valid schema sticks; only a document without one gets one. */
  adoptSchema(schema: DocumentSchema): void {
    if (this.schemaInfo === null) this.useSchema(schema);
  }

  /**
   * Serves the document with `schema` from now on (the room's own schema for
   * a known document, replacing whatever a first opener chose). Its content
   * is kept: the app reads it tolerantly and can reset it.
   */
  useSchema(schema: DocumentSchema): void {
    const previous = this.schemaInfo;
    if (previous !== null && sameSchema(previous, schema)) return;
    this.schemaInfo = schema;
    // Relayed and saved like any change, so open copies drop them too.
    const removed = previous === null ? 0 : removeUndeclaredElements(this.doc, schema.tags);
    if (removed > 0) this.log(`${this.path} in room ${this.room}: removed ${removed} elements its schema lacks`);
    this.file.requestSnapshot();
    this.changed(this);
  }

  /** Applies a client's update after checking it; a refused update leaves the document untouched. */
  apply(update: Uint8Array, origin: Subscriber): void {
    this.traffic.updatesIn++;
    const { adds, deletes } = checkUpdate(this.doc, update, this.schemaInfo?.tags ?? new Set());
    // Updates that add nothing (echoes, pure deletions) are never refused for size: they cannot grow it.
    if (adds) this.ensureRoomFor(update);
    // An echo (the SDK sends back every update it receives) changes nothing: Yjs would decode it again for nothing.
    else if (!deletes) {
      this.traffic.updatesAddingNothing++;
      return;
    }
    Y.applyUpdate(this.doc, update, origin);
  }

  /** Loading saved (already checked) updates: no relay, no logging. */
  restore(update: Uint8Array): void {
    Y.applyUpdate(this.doc, update, RESTORED);
  }

  private ensureRoomFor(update: Uint8Array): void {
    const limit = this.limits.maxDocumentBytes;
    if (this.sizeBound + update.length <= limit) return;
    // Measuring costs as much as the document; near the cap, do it at most once per 1/16 of the cap added.
    if (this.sizeBound - this.measuredAt > limit / 16) this.measure();
    if (this.sizeBound + update.length > limit) {
      throw documentTooLarge(this.path, this.sizeBound + update.length, limit, "would grow to");
    }
  }

  /** Exact encoded size; returns it. */
  measure(): number {
    this.sizeBound = this.state().length;
    this.measuredAt = this.sizeBound;
    return this.sizeBound;
  }

  state(vector?: Uint8Array): Uint8Array {
    return Y.encodeStateAsUpdate(this.doc, vector);
  }
}

export class SyncStore {
  /** Documents in memory; the one place a document is registered, so two opens never get two copies. */
  private readonly loaded = new Map<string, SyncDocument>();
  private readonly loading = new Map<string, Promise<SyncDocument | null>>();
  private readonly timers = new Map<SyncDocument, NodeJS.Timeout>();
  private readonly saving = new Set<Promise<void>>();
  readonly stats: PersistenceStats = { writes: 0, bytesWritten: 0, peakWritesPerDocument: 0 };
  readonly traffic: SyncTraffic = { updatesIn: 0, updatesAddingNothing: 0, relayMessages: 0, relayBatches: 0 };

  constructor(
    private readonly storage: RoomStorage,
    private readonly limits: SyncLimits,
    private readonly log: (line: string) => void,
  ) {}

  private fileOf(room: string, docPath: string): string {
    const name = createHash("sha256").update(docPath).digest("hex").slice(0, 40);
    return path.join(this.storage.roomDir(room), "sync", name);
  }

  /** Documents held in memory right now (tests and /usage). */
  get inMemory(): number {
    return this.loaded.size;
  }

  /**
   * The document, loaded from disk when needed, with a hold the caller must
   * give back with release(); null (and no hold) when it does not exist.
   */
  async acquire(room: string, docPath: string): Promise<SyncDocument | null> {
    const doc = await this.find(room, docPath);
    if (doc) doc.holders++;
    return doc;
  }

  /** Like acquire(), creating an empty document with `schema` when there is none. */
  async acquireOrCreate(
    room: string,
    docPath: string,
    schema: DocumentSchema | null,
    initial?: Uint8Array,
  ): Promise<{ doc: SyncDocument; created: boolean }> {
    const existing = await this.find(room, docPath);
    const key = `${room}\0${docPath}`;
    // No await from this check to the set: concurrent creators end up with the same document.
    const raced = existing ?? this.loaded.get(key);
    if (raced) {
      raced.holders++;
      return { doc: raced, created: false };
    }
    const doc = this.newDocument(room, docPath, schema);
    if (initial) doc.restore(initial);
    doc.file.requestSnapshot();
    this.loaded.set(key, doc);
    doc.holders++;
    this.scheduleSave(doc);
    return { doc, created: true };
  }

  /** Gives back a hold; the last one out saves the document and drops it from memory. */
  release(doc: SyncDocument): void {
    doc.holders--;
    if (doc.holders > 0) return;
    this.track(this.evict(doc));
  }

  private async evict(doc: SyncDocument): Promise<void> {
    this.cancelTimer(doc);
    await doc.file.write();
    // Someone may have opened it while it was written.
    if (doc.holders > 0) return;
    if (doc.file.dirty) {
      this.scheduleSave(doc);
      return;
    }
    const key = `${doc.room}\0${doc.path}`;
    if (this.loaded.get(key) !== doc) return;
    this.loaded.delete(key);
    doc.doc.destroy();
  }

  private newDocument(room: string, docPath: string, schema: DocumentSchema | null): SyncDocument {
    return new SyncDocument(
      room,
      docPath,
      schema,
      this.fileOf(room, docPath),
      this.limits,
      this.stats,
      this.traffic,
      (d) => this.scheduleSave(d),
      this.log,
    );
  }

  private async find(room: string, docPath: string): Promise<SyncDocument | null> {
    const key = `${room}\0${docPath}`;
    const inMemory = this.loaded.get(key);
    if (inMemory) return inMemory;
    let pending = this.loading.get(key);
    if (pending === undefined) {
      pending = this.load(room, docPath).then(
        (doc) => {
          this.loading.delete(key);
          // A document created while this load ran wins over what was on disk.
          if (doc && !this.loaded.has(key)) this.loaded.set(key, doc);
          return this.loaded.get(key) ?? null;
        },
        (error: unknown) => {
          this.loading.delete(key);
          throw error;
        },
      );
      this.loading.set(key, pending);
    }
    return pending;
  }

  private async load(room: string, docPath: string): Promise<SyncDocument | null> {
    const file = this.fileOf(room, docPath);
    let saved;
    try {
      saved = await DocumentFile.read(file, docPath);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== undefined) throw error;
      this.log(`sync document ${docPath} in room ${room} could not be read (${String(error)}); starting empty`);
      return null;
    }
    if (saved === null) return null;
    const doc = this.newDocument(room, docPath, tryParseSchema(saved.schema));
    for (const update of saved.updates) doc.restore(update);
    const [snapshot, ...logged] = saved.updates;
    doc.file.loaded(snapshot?.length ?? 0, saved.bytes - (snapshot?.length ?? 0));
    // A log (possibly torn by a crash) is folded into a fresh snapshot at the next write.
    if (logged.length > 0) doc.file.requestSnapshot();
    doc.measure();
    return doc;
  }

  private scheduleSave(doc: SyncDocument): void {
    if (this.timers.has(doc)) return;
    const timer = setTimeout(() => {
      this.timers.delete(doc);
      this.track(doc.file.write());
    }, this.limits.saveDelayMs);
    timer.unref();
    this.timers.set(doc, timer);
  }

  private cancelTimer(doc: SyncDocument): void {
    const timer = this.timers.get(doc);
    if (timer === undefined) return;
    clearTimeout(timer);
    this.timers.delete(doc);
  }

  private track(promise: Promise<void>): void {
    const tracked = promise.catch((error: unknown) => this.log(`saving a sync document failed: ${String(error)}`));
    this.saving.add(tracked);
    void tracked.finally(() => this.saving.delete(tracked));
  }

  /** Saves everything still pending; called on shutdown. */
  async flush(): Promise<void> {
    for (const [doc, timer] of this.timers) {
      clearTimeout(timer);
      this.track(doc.file.write());
    }
    this.timers.clear();
    await Promise.all([...this.saving]);
  }
}
