// Shared documents for document sync: one Y.Doc per path per room, the schema
// the first client gave kept with it, saved (debounced) to
// <room folder>/sync/<name>.json as {path, schema, update: base64 Yjs v1 update}
// and loaded again after a restart. Updates are checked before they touch the
// document, and what others receive is Yjs's own re-encoding of the change.

import { createHash } from "node:crypto";
import { promises as fs } from "node:fs";
import path from "node:path";
import * as Y from "yjs";
import type { JsonObject } from "./framing";
import { ErrorCode, RequestError } from "./content";
import type { RoomStorage } from "./storage-store";

export interface Subscriber {
  /** Receives a Yjs v1 update that some other subscriber (or nobody) caused. */
  send(update: Uint8Array): void;
}

/** The root type MeshDocument keeps its tree in (`doc.get("xml", YXmlElement)` in the SDK's runtime). */
const ROOT_TYPE = "xml";

export class SyncDocument {
  readonly doc = new Y.Doc({ gc: true });
  readonly subscribers = new Set<Subscriber>();

  constructor(
    readonly room: string,
    readonly path: string,
    public schema: JsonObject | null,
    private readonly changed: (d: SyncDocument) => void,
  ) {
    this.doc.on("update", (update: Uint8Array, origin: unknown) => {
      for (const s of this.subscribers) if (s !== origin) s.send(update);
      this.changed(this);
    });
  }

  /** Applies a client's update after checking it; a refused update leaves the document untouched. */
  apply(update: Uint8Array, origin: Subscriber): void {
    checkUpdate(update);
    Y.applyUpdate(this.doc, update, origin);
  }

  state(vector?: Uint8Array): Uint8Array {
    return Y.encodeStateAsUpdate(this.doc, vector);
  }
}

function malformed(why: string): RequestError {
  return new RequestError(`malformed sync update: ${why}`, ErrorCode.INVALID_REQUEST);
}

/**
 * Refuses what is not a Yjs v1 update, and updates that create content the
 * SDK's MeshDocument cannot hold (other root types, maps, arrays, sub-documents):
 * relayed, those would break every other subscriber's document.
 */
function checkUpdate(update: Uint8Array): void {
  let decoded: ReturnType<typeof Y.decodeUpdate>;
  try {
    decoded = Y.decodeUpdate(update);
  } catch (error) {
    throw malformed(`not a Yjs v1 update (${error instanceof Error ? error.message : String(error)})`);
  }
  for (const struct of decoded.structs) {
    if (!(struct instanceof Y.Item)) continue;
    if (typeof struct.parent === "string" && struct.parent !== ROOT_TYPE) {
      throw malformed(`unexpected root type ${JSON.stringify(struct.parent)}`);
    }
    const content = struct.content;
    if (content instanceof Y.ContentType) {
      if (!(content.type instanceof Y.XmlElement) && !(content.type instanceof Y.XmlText)) {
        throw malformed("only XML elements and text can be inserted");
      }
    } else if (content instanceof Y.ContentDoc) {
      throw malformed("sub-documents are not supported");
    }
  }
}

interface SavedDocument {
  path: string;
  schema: JsonObject | null;
  update: string;
}

export class SyncStore {
  /** Documents in memory; the one place a document is registered, so two opens never get two copies. */
  private readonly loaded = new Map<string, SyncDocument>();
  private readonly loading = new Map<string, Promise<SyncDocument | null>>();
  private readonly timers = new Map<SyncDocument, NodeJS.Timeout>();
  private readonly saving = new Set<Promise<void>>();

  constructor(
    private readonly storage: RoomStorage,
    private readonly saveDelayMs: number,
    private readonly log: (line: string) => void,
  ) {}

  private fileOf(room: string, docPath: string): string {
    const name = createHash("sha256").update(docPath).digest("hex").slice(0, 40);
    return path.join(this.storage.roomDir(room), "sync", `${name}.json`);
  }

  /** The document, loaded from disk when needed; null when it does not exist. */
  async find(room: string, docPath: string): Promise<SyncDocument | null> {
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

  async create(room: string, docPath: string, schema: JsonObject | null): Promise<SyncDocument> {
    const existing = await this.find(room, docPath);
    if (existing) return existing;
    // No await from this check to the set: concurrent creators end up with the same document.
    const key = `${room}\0${docPath}`;
    const raced = this.loaded.get(key);
    if (raced) return raced;
    const doc = new SyncDocument(room, docPath, schema, (d) => this.scheduleSave(d));
    this.loaded.set(key, doc);
    this.scheduleSave(doc);
    return doc;
  }

  private async load(room: string, docPath: string): Promise<SyncDocument | null> {
    let text: string;
    try {
      text = await fs.readFile(this.fileOf(room, docPath), "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
      throw error;
    }
    let saved: SavedDocument;
    try {
      saved = JSON.parse(text) as SavedDocument;
      if (saved.path !== docPath || typeof saved.update !== "string") throw new Error("unexpected content");
    } catch (error) {
      this.log(`sync document ${docPath} in room ${room} could not be read (${String(error)}); starting empty`);
      return null;
    }
    const doc = new SyncDocument(room, docPath, saved.schema ?? null, (d) => this.scheduleSave(d));
    Y.applyUpdate(doc.doc, Buffer.from(saved.update, "base64"));
    return doc;
  }

  private scheduleSave(doc: SyncDocument): void {
    if (this.timers.has(doc)) return;
    const timer = setTimeout(() => {
      this.timers.delete(doc);
      this.track(this.save(doc));
    }, this.saveDelayMs);
    timer.unref();
    this.timers.set(doc, timer);
  }

  private track(promise: Promise<void>): void {
    const tracked = promise.catch((error: unknown) => this.log(`saving a sync document failed: ${String(error)}`));
    this.saving.add(tracked);
    void tracked.finally(() => this.saving.delete(tracked));
  }

  /** Written to a temporary file and renamed, so a crash never leaves half a document. */
  private async save(doc: SyncDocument): Promise<void> {
    const file = this.fileOf(doc.room, doc.path);
    const saved: SavedDocument = {
      path: doc.path,
      schema: doc.schema,
      update: Buffer.from(doc.state()).toString("base64"),
    };
    await fs.mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
    const temp = `${file}.${process.pid}.${Date.now()}.${Math.random().toString(16).slice(2)}.tmp`;
    await fs.writeFile(temp, JSON.stringify(saved), { mode: 0o600 });
    await fs.rename(temp, file);
  }

  /** Saves everything still pending; called on shutdown. */
  async flush(): Promise<void> {
    for (const [doc, timer] of this.timers) {
      clearTimeout(timer);
      this.track(this.save(doc));
    }
    this.timers.clear();
    await Promise.all([...this.saving]);
  }
}
