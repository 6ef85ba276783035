// The `sync` toolkit's streamed `open` (sync-client.js in the SDK drives it):
//   start {kind:"start", path, create, vector, schema, schema_path, initial_json}
//   -> first reply {kind:"state", path, schema} + base64 text of the whole document
//   then both ways {kind:"sync"} (+ path from the server) + base64 Yjs v1 updates;
//   the client's close chunk is answered with control close.

import type { JsonObject } from "./framing";
import type { Participant } from "./participant";
import { ErrorCode, RequestError } from "./content";
import { canRead, canWrite, type PathGrants } from "./path-grants";
import { syncPath, roomPath } from "./room-paths";
import type { RoomStorage } from "./storage-store";
import { documentTooLarge, type SyncDocument, type SyncStore, type Subscriber } from "./sync-documents";
import { RelayedUpdate } from "./sync-relay";
import { initialUpdate, parseSchema, sameSchema, tryParseSchema, type DocumentSchema } from "./sync-schema";
import { binaryHeaders, type StreamChunk, type StreamHandler, type ToolCallStream } from "./tool-streams";

export const SYNC_TOOLKIT = "sync";

export interface SyncContext {
  documents: SyncStore;
  maxDocumentBytes: number;
  storage: RoomStorage;
  grants(participant: Participant): PathGrants | null;
  /**
   * The app's own documents (path -> schema): served with this schema whatever
   * a client passes or a first opener chose, so nobody can squat on them.
   */
  knownSchemas: ReadonlyMap<string, DocumentSchema>;
  /** Called when a client passes a schema other than the room's for a known document. */
  schemaMismatch(path: string): void;
}

const STRICT_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const utf8 = new TextDecoder("utf-8", { fatal: true });

function invalid(why: string): RequestError {
  return new RequestError(`invalid chunk for sync.open: ${why}`, ErrorCode.INVALID_REQUEST);
}

function denied(what: string, path: string): RequestError {
  return new RequestError(`permission denied: the token ${what} on ${path}`, ErrorCode.PERMISSION_DENIED);
}

const noSchema = (path: string): RequestError =>
  new RequestError(
    `no schema for ${path}: pass one to sync.open or upload .schemas/<extension>.json`,
    ErrorCode.INVALID_REQUEST,
  );

/** A schema the client passed: absent is null, anything else must be a valid MeshSchema. */
function givenSchema(value: unknown): DocumentSchema | null {
  return value === undefined || value === null ? null : parseSchema(value);
}

/** The schema a document is created or opened with: the room's own for a known document, else the client's. */
function chosenSchema(ctx: SyncContext, path: string, given: DocumentSchema | null): DocumentSchema | null {
  const known = ctx.knownSchemas.get(path);
  if (known === undefined) return given;
  if (given !== null && !sameSchema(given, known)) ctx.schemaMismatch(path);
  return known;
}

/** Payloads are the UTF-8 bytes of base64 text (sync-client.js encodes and decodes them that way). */
function decodeUpdate(payload: Uint8Array): Uint8Array {
  let text: string;
  try {
    text = utf8.decode(payload);
  } catch {
    throw new RequestError("malformed sync update: payload is not UTF-8 base64 text", ErrorCode.INVALID_REQUEST);
  }
  if (text.length === 0 || !STRICT_BASE64.test(text)) {
    throw new RequestError("malformed sync update: payload is not standard base64", ErrorCode.INVALID_REQUEST);
  }
  return new Uint8Array(Buffer.from(text, "base64"));
}

export class SyncOpenHandler implements StreamHandler, Subscriber {
  private document: SyncDocument | null = null;
  private path = "";
  private writable = false;

  constructor(
    private readonly ctx: SyncContext,
    private readonly participant: Participant,
    private readonly stream: ToolCallStream,
  ) {}

  send(update: RelayedUpdate): void {
    this.stream.sendBinary({ kind: "sync", path: this.path }, update.base64());
  }

  async chunk(chunk: StreamChunk): Promise<void> {
    const headers = binaryHeaders(chunk, "sync.open");
    if (this.document === null) {
      if (headers.kind !== "start") throw invalid(`expected kind "start", got ${JSON.stringify(headers.kind)}`);
      await this.start(headers);
      return;
    }
    if (headers.kind !== "sync") throw invalid(`expected kind "sync", got ${JSON.stringify(headers.kind)}`);
    if (!this.writable) throw denied("grants read-only sync", this.path);
    this.document.apply(decodeUpdate(chunk.payload), this);
  }

  private async start(headers: JsonObject): Promise<void> {
    const path = syncPath(headers.path);
    const grants = this.ctx.grants(this.participant);
    if (!canRead(grants, path)) throw denied("does not grant sync", path);
    if (headers.schema_path !== undefined && headers.schema_path !== null) {
      throw invalid("schema_path is not supported by the dev room; pass the schema itself");
    }
    const known = this.ctx.knownSchemas.get(path) ?? null;
    const chosen = chosenSchema(this.ctx, path, givenSchema(headers.schema));
    let vector: Uint8Array | undefined;
    if (headers.vector !== undefined && headers.vector !== null) {
      if (typeof headers.vector !== "string" || !STRICT_BASE64.test(headers.vector))
        throw invalid("vector must be base64 or null");
      vector = new Uint8Array(Buffer.from(headers.vector, "base64"));
    }
    const room = this.participant.room;
    const documents = this.ctx.documents;
    let document = await documents.acquire(room, path);
    try {
      if (document === null) {
        if (headers.create === false) throw new RequestError(`document not found: ${path}`, ErrorCode.NOT_FOUND);
        if (!canWrite(grants, path)) throw denied("grants read-only sync", path);
        document = await createDocument(this.ctx, room, path, chosen, headers.initial_json);
      }
      if (known !== null) document.useSchema(known);
      else if (document.schema === null) {
        const schema = chosen ?? (await schemaFromStorage(this.ctx.storage, room, path));
        if (schema === null) throw noSchema(path);
        document.adoptSchema(schema);
      }
      let state: Uint8Array;
      try {
        state = document.state(vector);
      } catch {
        throw invalid("vector is not a Yjs state vector");
      }
      // A document stored before the cap existed would be refused by the socket's own limits, taking every other feature on that connection with it.
      if (state.length > this.ctx.maxDocumentBytes) {
        throw documentTooLarge(path, state.length, this.ctx.maxDocumentBytes, "is");
      }
      if (!this.participant.active) throw new RequestError("the participant left", ErrorCode.OPERATION_FAILED);
      this.path = path;
      this.writable = canWrite(grants, path);
      this.stream.sendBinary({ kind: "state", path, schema: document.schema!.json }, new RelayedUpdate(state).base64());
      // Subscribed right after the state went out: nothing can fall between the two.
      this.document = document;
      document.subscribers.add(this);
    } catch (error) {
      if (document !== null) documents.release(document);
      throw error;
    }
  }

  end(): void {
    this.abort();
  }

  abort(): void {
    const document = this.document;
    this.document = null;
    if (document === null) return;
    document.subscribers.delete(this);
    this.ctx.documents.release(document);
  }
}

/**
 * A new document with `schema` (or the room's .schemas file) and, if given,
 * content from `json`; held for the caller. Refused without any schema.
 */
async function createDocument(
  ctx: SyncContext,
  room: string,
  path: string,
  given: DocumentSchema | null,
  json: unknown,
): Promise<SyncDocument> {
  const schema = given ?? (await schemaFromStorage(ctx.storage, room, path));
  if (schema === null) throw noSchema(path);
  let initial: Uint8Array | undefined;
  if (json !== undefined && json !== null) {
    initial = initialUpdate(schema, json);
    if (initial.length > ctx.maxDocumentBytes) {
      throw documentTooLarge(path, initial.length, ctx.maxDocumentBytes, "would start at");
    }
  }
  return (await ctx.documents.acquireOrCreate(room, path, schema, initial)).doc;
}

/** `sync.create {path, json, schema, schema_path}` (SDK 0.39): a new document, refused if one exists. */
export async function createSyncDocument(ctx: SyncContext, participant: Participant, args: JsonObject): Promise<void> {
  const path = syncPath(args.path);
  const grants = ctx.grants(participant);
  if (!canWrite(grants, path)) throw denied("does not grant sync write", path);
  if (args.schema_path !== undefined && args.schema_path !== null) {
    throw new RequestError(
      "schema_path is not supported by the dev room; pass the schema itself",
      ErrorCode.INVALID_REQUEST,
    );
  }
  const existing = await ctx.documents.acquire(participant.room, path);
  if (existing !== null) {
    ctx.documents.release(existing);
    throw new RequestError(`document already exists: ${path}`, ErrorCode.INVALID_REQUEST);
  }
  const schema = chosenSchema(ctx, path, givenSchema(args.schema));
  const document = await createDocument(ctx, participant.room, path, schema, args.json);
  ctx.documents.release(document);
}

/** The SDK names the schema file after the extension (meshagent-react's useDocumentConnection). */
async function schemaFromStorage(storage: RoomStorage, room: string, path: string): Promise<DocumentSchema | null> {
  const dot = path.lastIndexOf(".");
  if (dot <= path.lastIndexOf("/")) return null;
  const file = roomPath(`.schemas/${path.slice(dot + 1).toLowerCase()}.json`);
  try {
    const { handle } = await storage.openForRead(room, file);
    try {
      return tryParseSchema(JSON.parse(await handle.readFile("utf8")));
    } finally {
      await handle.close();
    }
  } catch {
    return null;
  }
}
