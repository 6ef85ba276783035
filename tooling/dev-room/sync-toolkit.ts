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
import type { SyncDocument, SyncStore, Subscriber } from "./sync-documents";
import { binaryHeaders, type StreamChunk, type StreamHandler, type ToolCallStream } from "./tool-streams";

export const SYNC_TOOLKIT = "sync";

export interface SyncContext {
  documents: SyncStore;
  storage: RoomStorage;
  grants(participant: Participant): PathGrants | null;
}

const MAX_SCHEMA_BYTES = 256 * 1024;
const STRICT_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const utf8 = new TextDecoder("utf-8", { fatal: true });

function invalid(why: string): RequestError {
  return new RequestError(`invalid chunk for sync.open: ${why}`, ErrorCode.INVALID_REQUEST);
}

function readSchema(value: unknown): JsonObject | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== "object" || Array.isArray(value)) throw invalid("schema must be a JSON object or null");
  if (JSON.stringify(value).length > MAX_SCHEMA_BYTES) throw invalid(`schema larger than ${MAX_SCHEMA_BYTES} bytes`);
  return value as JsonObject;
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

const encodeUpdate = (update: Uint8Array): Uint8Array => Buffer.from(Buffer.from(update).toString("base64"), "utf8");

export class SyncOpenHandler implements StreamHandler, Subscriber {
  private document: SyncDocument | null = null;
  private path = "";
  private writable = false;

  constructor(
    private readonly ctx: SyncContext,
    private readonly participant: Participant,
    private readonly stream: ToolCallStream,
  ) {}

  send(update: Uint8Array): void {
    this.stream.sendBinary({ kind: "sync", path: this.path }, encodeUpdate(update));
  }

  async chunk(chunk: StreamChunk): Promise<void> {
    const headers = binaryHeaders(chunk, "sync.open");
    if (this.document === null) {
      if (headers.kind !== "start") throw invalid(`expected kind "start", got ${JSON.stringify(headers.kind)}`);
      await this.start(headers);
      return;
    }
    if (headers.kind !== "sync") throw invalid(`expected kind "sync", got ${JSON.stringify(headers.kind)}`);
    if (!this.writable) {
      throw new RequestError(
        `permission denied: the token grants read-only sync on ${this.path}`,
        ErrorCode.PERMISSION_DENIED,
      );
    }
    this.document.apply(decodeUpdate(chunk.payload), this);
  }

  private async start(headers: JsonObject): Promise<void> {
    const path = syncPath(headers.path);
    const grants = this.ctx.grants(this.participant);
    if (!canRead(grants, path)) {
      throw new RequestError(
        `permission denied: the token does not grant sync on ${path}`,
        ErrorCode.PERMISSION_DENIED,
      );
    }
    if (headers.initial_json !== undefined && headers.initial_json !== null) {
      throw invalid("initial_json is not supported by the dev room; open the document and edit it instead");
    }
    if (headers.schema_path !== undefined && headers.schema_path !== null) {
      throw invalid("schema_path is not supported by the dev room; pass the schema itself");
    }
    const given = readSchema(headers.schema);
    let vector: Uint8Array | undefined;
    if (headers.vector !== undefined && headers.vector !== null) {
      if (typeof headers.vector !== "string" || !STRICT_BASE64.test(headers.vector))
        throw invalid("vector must be base64 or null");
      vector = new Uint8Array(Buffer.from(headers.vector, "base64"));
    }
    const room = this.participant.room;
    let document = await this.ctx.documents.find(room, path);
    if (document === null) {
      if (headers.create === false) throw new RequestError(`document not found: ${path}`, ErrorCode.NOT_FOUND);
      if (!canWrite(grants, path)) {
        throw new RequestError(
          `permission denied: the token grants read-only sync on ${path}`,
          ErrorCode.PERMISSION_DENIED,
        );
      }
      document = await this.ctx.documents.create(room, path, given ?? (await this.schemaFile(path)));
    }
    if (document.schema === null) document.schema = given ?? (await this.schemaFile(path));
    if (document.schema === null) {
      throw new RequestError(
        `no schema for ${path}: pass one to sync.open or upload .schemas/<extension>.json`,
        ErrorCode.INVALID_REQUEST,
      );
    }
    if (!this.participant.active) return;
    let state: Uint8Array;
    try {
      state = document.state(vector);
    } catch {
      throw invalid("vector is not a Yjs state vector");
    }
    this.path = path;
    this.writable = canWrite(grants, path);
    this.stream.sendBinary({ kind: "state", path, schema: document.schema }, encodeUpdate(state));
    // Subscribed right after the state went out: nothing can fall between the two.
    this.document = document;
    document.subscribers.add(this);
  }

  /** The SDK names the schema file after the extension (meshagent-react's useDocumentConnection). */
  private async schemaFile(path: string): Promise<JsonObject | null> {
    const dot = path.lastIndexOf(".");
    if (dot <= path.lastIndexOf("/")) return null;
    const file = roomPath(`.schemas/${path.slice(dot + 1).toLowerCase()}.json`);
    try {
      const { handle } = await this.ctx.storage.openForRead(this.participant.room, file);
      try {
        const parsed: unknown = JSON.parse(await handle.readFile("utf8"));
        return readSchema(parsed);
      } finally {
        await handle.close();
      }
    } catch {
      return null;
    }
  }

  end(): void {
    this.abort();
  }

  abort(): void {
    this.document?.subscribers.delete(this);
  }
}
