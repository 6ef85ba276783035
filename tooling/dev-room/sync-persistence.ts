// How one shared document is kept on disk, at a cost proportional to what
// changed: a snapshot <name>.json ({path, schema, update: base64 Yjs v1
// update of the whole document}, the format earlier versions wrote) plus an
// append-only log <name>.log of the updates applied since (4-byte big-endian
// length + update, repeated). Writes of one document are serialized, one at a
// time, and each writes the newest state: an older snapshot can never land
// after a newer one. When the log outgrows the snapshot it is compacted into a
// new snapshot (written to a temporary file and renamed, then the log is
// removed; a crash in between only replays updates Yjs already has).

import { promises as fs } from "node:fs";
import path from "node:path";
import type { JsonObject } from "./framing";

/** The log is folded into the snapshot once it is larger than this and than the snapshot. */
const MIN_COMPACT_LOG_BYTES = 256 * 1024;
const RECORD_HEADER_BYTES = 4;

interface SavedSnapshot {
  path: string;
  schema: JsonObject | null;
  update: string;
}

export interface LoadedDocument {
  schema: unknown;
  /** The snapshot first, then the logged updates in order. */
  updates: Uint8Array[];
  /** Bytes on disk: snapshot update + log. */
  bytes: number;
}

/** What the file needs from its document when it writes. */
export interface DocumentSource {
  readonly path: string;
  schemaJson(): JsonObject | null;
  /** The whole document as one Yjs v1 update. */
  encodeState(): Uint8Array;
}

export class DocumentFile {
  private readonly snapshotFile: string;
  private readonly logFile: string;
  private pending: Uint8Array[] = [];
  private pendingBytes = 0;
  private logBytes = 0;
  private snapshotBytes = 0;
  private snapshotNeeded = false;
  private running: Promise<void> | null = null;
  private again = false;
  /** Completed disk writes, for tests and the benchmark. */
  writes = 0;

  constructor(
    file: string,
    private readonly source: DocumentSource,
  ) {
    this.snapshotFile = `${file}.json`;
    this.logFile = `${file}.log`;
  }

  /** Reads snapshot and log; null if neither exists. A torn last log record (crash mid-append) is ignored. */
  static async read(file: string, docPath: string): Promise<LoadedDocument | null> {
    const [text, log] = await Promise.all([readOrNull(`${file}.json`, "utf8"), readOrNull(`${file}.log`)]);
    if (text === null && log === null) return null;
    const updates: Uint8Array[] = [];
    let schema: unknown = null;
    let bytes = 0;
    if (text !== null) {
      const saved = JSON.parse(text) as SavedSnapshot;
      if (saved.path !== docPath || typeof saved.update !== "string") throw new Error("unexpected content");
      schema = saved.schema;
      const update = new Uint8Array(Buffer.from(saved.update, "base64"));
      updates.push(update);
      bytes += update.length;
    }
    if (log !== null) {
      let offset = 0;
      while (offset + RECORD_HEADER_BYTES <= log.length) {
        const length = log.readUInt32BE(offset);
        if (offset + RECORD_HEADER_BYTES + length > log.length) break;
        updates.push(new Uint8Array(log.subarray(offset + RECORD_HEADER_BYTES, offset + RECORD_HEADER_BYTES + length)));
        offset += RECORD_HEADER_BYTES + length;
      }
      bytes += offset;
    }
    return { schema, updates, bytes };
  }

  /** Called after loading what read() returned, so compaction knows the sizes on disk. */
  loaded(snapshotBytes: number, logBytes: number): void {
    this.snapshotBytes = snapshotBytes;
    this.logBytes = logBytes;
  }

  /** An update to log at the next write. */
  append(update: Uint8Array): void {
    this.pending.push(update);
    this.pendingBytes += update.length;
  }

  /** The next write replaces everything with a snapshot (new document, schema changed). */
  requestSnapshot(): void {
    this.snapshotNeeded = true;
  }

  get dirty(): boolean {
    return this.pending.length > 0 || this.snapshotNeeded;
  }

  /**
   * Writes what is pending. At most one write runs per document; a call while
   * one runs is folded into a single follow-up write of everything pending then.
   */
  write(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      try {
        do {
          this.again = false;
          if (this.dirty) await this.writeOnce();
        } while (this.again);
      } catch (error) {
        // Whatever was taken for the failed write is in the document: the next write saves it whole.
        this.snapshotNeeded = true;
        throw error;
      } finally {
        this.running = null;
      }
    })();
    return this.running;
  }

  private async writeOnce(): Promise<void> {
    await fs.mkdir(path.dirname(this.snapshotFile), { recursive: true, mode: 0o700 });
    const compact =
      this.snapshotNeeded || this.logBytes + this.pendingBytes > Math.max(MIN_COMPACT_LOG_BYTES, this.snapshotBytes);
    if (compact) {
      // The state right now holds every pending update too.
      const state = this.source.encodeState();
      this.pending = [];
      this.pendingBytes = 0;
      this.snapshotNeeded = false;
      const saved: SavedSnapshot = {
        path: this.source.path,
        schema: this.source.schemaJson(),
        update: Buffer.from(state).toString("base64"),
      };
      const temp = `${this.snapshotFile}.${process.pid}.${Date.now()}.${Math.random().toString(16).slice(2)}.tmp`;
      await fs.writeFile(temp, JSON.stringify(saved), { mode: 0o600 });
      await fs.rename(temp, this.snapshotFile);
      await fs.rm(this.logFile, { force: true });
      this.snapshotBytes = state.length;
      this.logBytes = 0;
    } else {
      const records = this.pending.splice(0);
      this.pendingBytes = 0;
      const buffer = Buffer.allocUnsafe(records.reduce((sum, r) => sum + RECORD_HEADER_BYTES + r.length, 0));
      let offset = 0;
      for (const record of records) {
        buffer.writeUInt32BE(record.length, offset);
        buffer.set(record, offset + RECORD_HEADER_BYTES);
        offset += RECORD_HEADER_BYTES + record.length;
      }
      await fs.appendFile(this.logFile, buffer, { mode: 0o600 });
      this.logBytes += buffer.length;
    }
    this.writes++;
  }
}

async function readOrNull(file: string): Promise<Buffer | null>;
async function readOrNull(file: string, encoding: "utf8"): Promise<string | null>;
async function readOrNull(file: string, encoding?: "utf8"): Promise<Buffer | string | null> {
  try {
    return encoding ? await fs.readFile(file, encoding) : await fs.readFile(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
}
