import { createStore, type StoreApi } from "zustand/vanilla";
import { meshSchemaJson, type DocumentDeclaration, type ElementSnapshot, type Tag } from "@/lib/room/document-schema";
import {
  clearDocument,
  DEFAULT_LIMITS,
  elementWriter,
  readDocument,
  type ElementWriter,
  type ReadLimits,
  type ReadResult,
  type SdkDocument,
} from "@/lib/room/document-tree";
import { loadDocumentRuntime } from "@/lib/room/lazy-document-runtime";
import { ROOM_DOCUMENT_PATHS } from "@/lib/shared/room-paths";

export interface RoomDocumentDefinition<D extends DocumentDeclaration> {
  /** Room-relative path, opened with room.sync.open; must be in ROOM_DOCUMENT_PATHS (lib/shared/room-paths.ts). */
  path: string;
  declaration: D;
  /** What room.sync.open sends as the schema (it only calls toJson()). */
  schema: { toJson(): Record<string, unknown> };
  limits: ReadLimits;
}

/**
 * A shared document of the room: its path and its shape, declared once in
 * TypeScript. Open it in a component with useRoomDocument(definition).
 *
 *   const pollDocument = defineRoomDocument("poll/current.poll", {
 *     root: "poll",
 *     elements: {
 *       poll: { attributes: { question: "string" }, children: ["option"] },
 *       option: { attributes: { text: "string" } },
 *     },
 *   });
 */
export function defineRoomDocument<const D extends DocumentDeclaration>(
  path: string,
  declaration: D,
  limits: Partial<ReadLimits> = {},
): RoomDocumentDefinition<D> {
  const json = meshSchemaJson(declaration);
  return { path, declaration, schema: { toJson: () => json }, limits: { ...DEFAULT_LIMITS, ...limits } };
}

/** Throws, naming the fix, unless the browser token grants sync on `path`. */
export function assertInTokenScope(path: string): void {
  if (ROOM_DOCUMENT_PATHS.includes(path)) return;
  throw new Error(
    `The room document "${path}" is outside the token's sync scope: the room would refuse it. ` +
      "Add its path to ROOM_DOCUMENT_PATHS in lib/shared/room-paths.ts, which lib/participant-scope.ts grants.",
  );
}

export type DocumentPhase = "opening" | "ready" | "offline" | "failed";

export interface RoomDocumentState<D extends DocumentDeclaration> {
  /** opening: not readable yet; ready: live and writable; offline: last state shown, read-only; failed: see error. */
  phase: DocumentPhase;
  /** The document as last read (kept while offline or failed); null before it was first opened. */
  read: ReadResult<D> | null;
  error: string | null;
}

/** The smallest part of RoomClient a document needs. */
export interface SyncHost {
  sync: {
    open(path: string, options: { schema: never }): Promise<unknown>;
    close(path: string): Promise<void>;
  };
}

type RootWriter<D extends DocumentDeclaration> = ElementWriter<D, D["root"] & Tag<D>>;
export type RootSnapshot<D extends DocumentDeclaration> = ElementSnapshot<D, D["root"] & Tag<D>>;

/** An edit: `root` writes, `current` is the document as it is now (others' latest edits included). */
export type DocumentEdit<D extends DocumentDeclaration> = (root: RootWriter<D>, current: RootSnapshot<D>) => void;

function describeError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.slice(0, 200) || "unknown error";
}

/**
 * One room document for the page: opened on each new connection (a reconnect
 * gets a new client, so the document is opened again and its state comes from
 * the room), closed when nobody uses it, read-only while disconnected.
 * Components reach it through useRoomDocument; tests may drive it directly.
 */
export class RoomDocumentSession<D extends DocumentDeclaration> {
  readonly store: StoreApi<RoomDocumentState<D>> = createStore<RoomDocumentState<D>>(() => ({
    phase: "opening",
    read: null,
    error: null,
  }));
  private doc: SdkDocument | null = null;
  private host: SyncHost | null = null;
  private generation = 0;
  private users = 0;
  private closeTimer: ReturnType<typeof setTimeout> | undefined;
  private readScheduled = false;
  /** The document changed since it was last read (a read walks the whole tree, so it is skipped otherwise). */
  private stale = true;
  private unbind = () => {};

  constructor(readonly definition: RoomDocumentDefinition<D>) {}

  /** Counts a user of the document on `host` (null: disconnected). Returns the matching release. */
  attach(host: SyncHost | null): () => void {
    this.users++;
    clearTimeout(this.closeTimer);
    if (host !== this.host) this.connect(host);
    return () => {
      this.users--;
      // Deferred: a remount (StrictMode, a tab switch back) keeps the open document.
      if (this.users === 0) this.closeTimer = setTimeout(() => this.users === 0 && this.connect(null, false), 0);
    };
  }

  /** Opens the document again on the current connection (after a failure). */
  retry(): void {
    if (this.host) this.connect(this.host);
  }

  private connect(host: SyncHost | null, offline = true): void {
    const generation = ++this.generation;
    this.release();
    this.host = host;
    if (!host) {
      this.store.setState({ phase: offline ? "offline" : "opening", error: null });
      return;
    }
    this.store.setState({ phase: "opening", error: null });
    const { path, schema } = this.definition;
    // The document runtime loads on first use: open once it is ready, so that
    // sync.open resolves with the room's state applied (lazy-document-runtime.ts).
    loadDocumentRuntime()
      .then(() => {
        const opening = host.sync.open(path, { schema: schema as never });
        // SDK 0.35.8: a refused open also rejects an internal promise nobody awaits (docs/maintainers.md).
        const connecting = (host.sync as { _connectingDocuments?: Record<string, Promise<unknown>> })
          ._connectingDocuments;
        void connecting?.[path]?.catch(() => undefined);
        return opening;
      })
      .then((opened) => {
        if (generation !== this.generation) {
          void host.sync.close(path).catch(() => undefined);
          return;
        }
        this.bind(opened as SdkDocument, () => void host.sync.close(path).catch(() => undefined));
      })
      .catch((error: unknown) => {
        if (generation === this.generation) this.store.setState({ phase: "failed", error: describeError(error) });
      });
  }

  /** Serves an already open document (the hook's path goes through connect). */
  bind(doc: SdkDocument, close: () => void = () => {}): void {
    this.release();
    const onUpdate = () => {
      this.stale = true;
      this.scheduleRead();
    };
    doc.on("updated", onUpdate);
    this.doc = doc;
    this.stale = true;
    this.unbind = () => {
      doc.off("updated", onUpdate);
      close();
    };
    this.store.setState({ phase: "ready", error: null });
    this.readNow();
  }

  private release(): void {
    this.unbind();
    this.unbind = () => {};
    this.doc = null;
  }

  private scheduleRead(): void {
    if (this.readScheduled) return;
    this.readScheduled = true;
    queueMicrotask(() => {
      this.readScheduled = false;
      this.readNow();
    });
  }

  private readNow(): void {
    if (!this.doc || !this.stale) return;
    this.stale = false;
    const { declaration, limits } = this.definition;
    const previous = this.store.getState().read;
    const next = readDocument(declaration, this.doc.root, previous, limits);
    if (next !== previous) this.store.setState({ read: next });
  }

  /**
   * Applies typed edits to the live document. Refused (returns false, edits
   * nothing) unless the document is open and connected. An edit the SDK
   * refuses is reported in `error` and also returns false.
   */
  mutate(edit: DocumentEdit<D>): boolean {
    const doc = this.doc;
    if (!doc || this.store.getState().phase !== "ready") return false;
    try {
      this.readNow();
      const current = this.store.getState().read;
      if (!current) return false;
      edit(elementWriter(this.definition.declaration, doc, doc.root, true), current.root);
      return true;
    } catch (error) {
      this.store.setState({ error: describeError(error) });
      return false;
    } finally {
      this.readNow();
    }
  }

  /** Empties the document, whatever it holds (also content this page cannot read). Same refusal rules as mutate. */
  reset(): boolean {
    return this.mutate(() => this.doc && clearDocument(this.doc));
  }
}
