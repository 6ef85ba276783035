// The `storage` toolkit: exists, stat, list, delete, download_url as plain
// tool calls, upload and download as streamed ones (storage-client.js in the
// SDK drives them), and the storage.file.updated / storage.file.deleted events.

import type { promises as fs } from "node:fs";
import type { JsonObject } from "./framing";
import type { Participant } from "./participant";
import { ErrorCode, RequestError } from "./content";
import { canList, canRead, canWrite, type PathGrants } from "./path-grants";
import { baseName, mimeTypeOf, roomPath } from "./room-paths";
import { RoomStorage, alreadyExists } from "./storage-store";
import { binaryHeaders, type StreamChunk, type StreamHandler, type ToolCallStream } from "./tool-streams";

export const STORAGE_TOOLKIT = "storage";
export const STREAMED_STORAGE_TOOLS = new Set(["upload", "download"]);

export interface StorageContext {
  storage: RoomStorage;
  maxUploadBytes: number;
  /** Storage quota of one room (DEV_ROOM_MAX_ROOM_BYTES); null = none. */
  maxRoomBytes: number | null;
  /** Largest chunk a client may send in one message (the server's message limit, less headroom). */
  maxChunkBytes: number;
  grants(participant: Participant): PathGrants | null;
  downloadUrl(room: string, path: string): Promise<string>;
  /** Pushes an event to every participant of the room allowed to read the path. */
  notify(room: string, type: "storage.file.updated" | "storage.file.deleted", path: string, by: Participant): void;
  /** Pushes storage.file.moved to every participant allowed to read either path. */
  notifyMoved(room: string, source: string, destination: string, by: Participant): void;
}

function denied(action: string, path: string): RequestError {
  return new RequestError(
    `permission denied: the token does not grant storage ${action} on ${path || "/"}`,
    ErrorCode.PERMISSION_DENIED,
  );
}

function requireRead(ctx: StorageContext, p: Participant, path: string): void {
  if (!canRead(ctx.grants(p), path)) throw denied("read", path);
}

function requireWrite(ctx: StorageContext, p: Participant, path: string): void {
  if (!canWrite(ctx.grants(p), path)) throw denied("write", path);
}

type PlainTool = (ctx: StorageContext, p: Participant, args: JsonObject) => Promise<JsonObject>;

const json = (value: JsonObject): JsonObject => ({ type: "json", json: value });

export const plainStorageTools: Record<string, PlainTool> = {
  async exists(ctx, p, args) {
    const path = roomPath(args.path);
    requireRead(ctx, p, path);
    return json({ exists: (await ctx.storage.stat(p.room, path)) !== null });
  },

  async stat(ctx, p, args) {
    const path = roomPath(args.path);
    requireRead(ctx, p, path);
    const entry = await ctx.storage.stat(p.room, path);
    return json(entry === null ? { exists: false } : { exists: true, ...entry });
  },

  async list(ctx, p, args) {
    const folder = roomPath(args.path ?? "", { allowRoot: true });
    const grants = ctx.grants(p);
    if (!canList(grants, folder)) throw denied("read", folder);
    const entries = await ctx.storage.list(p.room, folder);
    // A participant limited to some prefixes sees only what leads to them.
    const visible = entries.filter(
      ({ entry, path }) => canRead(grants, path) || (entry.is_folder && canList(grants, path)),
    );
    return json({ files: visible.map(({ entry }) => ({ ...entry })) });
  },

  async delete(ctx, p, args) {
    const path = roomPath(args.path);
    requireWrite(ctx, p, path);
    if (args.recursive !== undefined && args.recursive !== null && typeof args.recursive !== "boolean") {
      throw new RequestError("invalid arguments: recursive must be a boolean", ErrorCode.INVALID_REQUEST);
    }
    await ctx.storage.delete(p.room, path, args.recursive === true);
    ctx.notify(p.room, "storage.file.deleted", path, p);
    return { type: "empty" };
  },

  /** SDK 0.39: {source_path, destination_path, overwrite}; files and folders, like a rename. */
  async move(ctx, p, args) {
    const source = roomPath(args.source_path);
    const destination = roomPath(args.destination_path);
    requireWrite(ctx, p, source);
    requireWrite(ctx, p, destination);
    if (args.overwrite !== undefined && args.overwrite !== null && typeof args.overwrite !== "boolean") {
      throw new RequestError("invalid arguments: overwrite must be a boolean", ErrorCode.INVALID_REQUEST);
    }
    await ctx.storage.move(p.room, source, destination, args.overwrite === true);
    ctx.notifyMoved(p.room, source, destination, p);
    return { type: "empty" };
  },

  async download_url(ctx, p, args) {
    const path = roomPath(args.path);
    requireRead(ctx, p, path);
    const entry = await ctx.storage.stat(p.room, path);
    if (entry === null) throw new RequestError(`file not found: ${path}`, ErrorCode.NOT_FOUND);
    if (entry.is_folder) throw new RequestError(`cannot download ${path}: it is a folder`, ErrorCode.INVALID_REQUEST);
    return json({ url: await ctx.downloadUrl(p.room, path) });
  },
};

/** Upload: start -> pull/data ... -> client close -> the file appears at once, whole. */
export class UploadHandler implements StreamHandler {
  private phase: "start" | "data" | "done" = "start";
  private path = "";
  private overwrite = false;
  private expected: number | null = null;
  private received = 0;
  /** Bytes the room may still take for this upload (DEV_ROOM_MAX_ROOM_BYTES); Infinity without a quota. */
  private roomLeft = Infinity;
  private temp: { file: string; handle: fs.FileHandle } | null = null;

  constructor(
    private readonly ctx: StorageContext,
    private readonly participant: Participant,
    private readonly stream: ToolCallStream,
  ) {}

  private pull(): void {
    this.stream.sendBinary({ kind: "pull", chunk_size: this.ctx.maxChunkBytes });
  }

  private tooLarge(size: number): RequestError {
    return new RequestError(
      `file too large: ${size} bytes, the limit is ${this.ctx.maxUploadBytes} bytes (DEV_ROOM_MAX_UPLOAD_BYTES)`,
      ErrorCode.INVALID_REQUEST,
    );
  }

  private roomFull(needed: number, free: number): RequestError {
    return new RequestError(
      `room storage full: this upload needs ${needed} bytes, ${Math.max(0, free)} of the room's ` +
        `${this.ctx.maxRoomBytes} bytes are free (DEV_ROOM_MAX_ROOM_BYTES)`,
      ErrorCode.INVALID_REQUEST,
    );
  }

  /** What the room may still take if this upload replaces `replacing` bytes. */
  private async roomFree(replacing: number): Promise<number> {
    const quota = this.ctx.maxRoomBytes;
    if (quota === null) return Infinity;
    return quota - (await this.ctx.storage.usedBytes(this.participant.room)) + replacing;
  }

  async chunk(chunk: StreamChunk): Promise<void> {
    const headers = binaryHeaders(chunk, "storage.upload");
    if (this.phase === "start") {
      if (headers.kind !== "start")
        throw invalidChunk("upload", `expected kind "start", got ${JSON.stringify(headers.kind)}`);
      const path = roomPath(headers.path);
      requireWrite(this.ctx, this.participant, path);
      const size = headers.size;
      if (
        size !== undefined &&
        size !== null &&
        (typeof size !== "number" || !Number.isSafeInteger(size) || size < 0)
      ) {
        throw invalidChunk("upload", "size must be a non-negative integer or null");
      }
      if (typeof size === "number" && size > this.ctx.maxUploadBytes) throw this.tooLarge(size);
      this.expected = typeof size === "number" ? size : null;
      this.overwrite = headers.overwrite === true;
      this.path = path;
      const existing = await this.ctx.storage.stat(this.participant.room, path);
      if (existing?.is_folder)
        throw new RequestError(`cannot write ${path}: it is a folder`, ErrorCode.INVALID_REQUEST);
      if (existing !== null && !this.overwrite) throw alreadyExists(path);
      this.roomLeft = await this.roomFree(existing?.size ?? 0);
      if (typeof size === "number" && size > this.roomLeft) throw this.roomFull(size, this.roomLeft);
      this.temp = await this.ctx.storage.createTemp(this.participant.room);
      this.phase = "data";
      this.pull();
      return;
    }
    if (this.phase !== "data" || this.temp === null) throw invalidChunk("upload", "data after the upload ended");
    if (headers.kind !== "data")
      throw invalidChunk("upload", `expected kind "data", got ${JSON.stringify(headers.kind)}`);
    this.received += chunk.payload.length;
    if (this.received > this.ctx.maxUploadBytes) throw this.tooLarge(this.received);
    if (this.received > this.roomLeft) throw this.roomFull(this.received, this.roomLeft);
    if (this.expected !== null && this.received > this.expected) {
      throw invalidChunk("upload", `received ${this.received} bytes, more than the announced size ${this.expected}`);
    }
    // Ask for the next chunk first so the network and the disk work overlap.
    this.pull();
    await this.temp.handle.write(chunk.payload);
  }

  async end(): Promise<void> {
    if (this.phase !== "data" || this.temp === null) throw invalidChunk("upload", "closed before a start chunk");
    if (this.expected !== null && this.received !== this.expected) {
      throw invalidChunk("upload", `closed after ${this.received} of ${this.expected} bytes`);
    }
    const temp = this.temp;
    this.temp = null;
    this.phase = "done";
    try {
      await temp.handle.close();
      if (this.ctx.maxRoomBytes !== null) {
        // Other uploads may have finished meanwhile: check again against what is on disk now.
        const replacing = (await this.ctx.storage.stat(this.participant.room, this.path))?.size ?? 0;
        const free = await this.roomFree(replacing);
        if (this.received > free) throw this.roomFull(this.received, free);
      }
      await this.ctx.storage.commit(this.participant.room, temp.file, this.path, this.overwrite);
    } catch (error) {
      await this.ctx.storage.discardTemp(temp.file).catch(() => {});
      throw error;
    }
    this.ctx.notify(this.participant.room, "storage.file.updated", this.path, this.participant);
  }

  abort(): void {
    const temp = this.temp;
    this.temp = null;
    this.phase = "done";
    if (temp === null) return;
    void temp.handle
      .close()
      .catch(() => {})
      .then(() => this.ctx.storage.discardTemp(temp.file))
      .catch(() => {});
  }
}

const MIN_DOWNLOAD_CHUNK = 1024;
const MAX_DOWNLOAD_CHUNK = 4 << 20;
const DEFAULT_DOWNLOAD_CHUNK = 64 * 1024;

/** Download: start -> start{name,mime_type,size} -> per pull one data chunk -> close after `size` bytes. */
export class DownloadHandler implements StreamHandler {
  private file: { handle: fs.FileHandle; size: number } | null = null;
  private offset = 0;
  private chunkSize = DEFAULT_DOWNLOAD_CHUNK;
  private started = false;

  constructor(
    private readonly ctx: StorageContext,
    private readonly participant: Participant,
    private readonly stream: ToolCallStream,
  ) {}

  async chunk(chunk: StreamChunk): Promise<void> {
    const headers = binaryHeaders(chunk, "storage.download");
    if (!this.started) {
      if (headers.kind !== "start")
        throw invalidChunk("download", `expected kind "start", got ${JSON.stringify(headers.kind)}`);
      const path = roomPath(headers.path);
      requireRead(this.ctx, this.participant, path);
      const requested = headers.chunk_size;
      if (typeof requested === "number" && Number.isFinite(requested)) {
        this.chunkSize = Math.min(MAX_DOWNLOAD_CHUNK, Math.max(MIN_DOWNLOAD_CHUNK, Math.floor(requested)));
      }
      this.started = true;
      this.file = await this.ctx.storage.openForRead(this.participant.room, path);
      const name = baseName(path);
      this.stream.sendBinary({ kind: "start", name, mime_type: mimeTypeOf(name), size: this.file.size });
      if (this.file.size === 0) this.finish();
      return;
    }
    if (headers.kind !== "pull")
      throw invalidChunk("download", `expected kind "pull", got ${JSON.stringify(headers.kind)}`);
    const file = this.file;
    if (file === null) return; // a pull after the last byte: nothing more to send
    const length = Math.min(this.chunkSize, file.size - this.offset);
    const buffer = Buffer.allocUnsafe(length);
    const { bytesRead } = await file.handle.read(buffer, 0, length, this.offset);
    if (bytesRead !== length) throw new RequestError("the file changed while it was read", ErrorCode.OPERATION_FAILED);
    this.offset += length;
    this.stream.sendBinary({ kind: "data" }, buffer);
    if (this.offset >= file.size) this.finish();
  }

  private finish(): void {
    this.stream.close();
    this.abort();
  }

  end(): void {
    this.abort();
  }

  abort(): void {
    const file = this.file;
    this.file = null;
    if (file) void file.handle.close().catch(() => {});
  }
}

function invalidChunk(tool: string, why: string): RequestError {
  return new RequestError(`invalid chunk for storage.${tool}: ${why}`, ErrorCode.INVALID_REQUEST);
}
