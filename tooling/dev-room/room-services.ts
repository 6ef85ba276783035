// Storage and document sync for the dev room: the toolkits, their streamed
// calls, per-participant grants, the download-link HTTP route and shutdown.
// rooms.ts hands it requests for these toolkits; server.ts its HTTP requests.

import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import type http from "node:http";
import type { JsonObject, ProtocolMessage } from "./framing";
import type { Participant } from "./participant";
import type { RoomTokenClaims } from "./token";
import { ErrorCode, RequestError, errorContent } from "./content";
import { canRead, type PathGrants } from "./path-grants";
import { DownloadUrls } from "./download-urls";
import { DEFAULT_MAX_UPLOAD_BYTES, RoomStorage } from "./storage-store";
import {
  DownloadHandler,
  STORAGE_TOOLKIT,
  STREAMED_STORAGE_TOOLS,
  UploadHandler,
  plainStorageTools,
  type StorageContext,
} from "./storage-toolkit";
import { DEFAULT_MAX_DOCUMENT_BYTES, SyncStore } from "./sync-documents";
import type { SyncTraffic } from "./sync-relay";
import { SYNC_TOOLKIT, SyncOpenHandler, createSyncDocument, type SyncContext } from "./sync-toolkit";
import { ToolStreams } from "./tool-streams";
import { syncPath } from "./room-paths";
import { parseSchema, type DocumentSchema } from "./sync-schema";

const DEFAULT_DOWNLOAD_URL_TTL_SECONDS = 300;

/** A wrong schema for one of the app's documents is a start-up error, not a room that refuses it later. */
function knownSchemas(json: Readonly<Record<string, unknown>>): Map<string, DocumentSchema> {
  return new Map(
    Object.entries(json).map(([docPath, schema]) => {
      try {
        return [syncPath(docPath), parseSchema(schema)];
      } catch (error) {
        throw new TypeError(`documentSchemas["${docPath}"]: ${error instanceof Error ? error.message : String(error)}`);
      }
    }),
  );
}

/** Calls `fn` once per key (a log line per document, however often a client repeats itself). */
function oncePer(fn: (key: string) => void): (key: string) => void {
  const seen = new Set<string>();
  return (key) => {
    if (seen.has(key) || seen.size >= 1000) return;
    seen.add(key);
    fn(key);
  };
}
const DEFAULT_SYNC_SAVE_DELAY_MS = 250;

export interface RoomServicesOptions {
  /** Where room files and documents live; absent = a temporary folder removed on close. */
  dataDir?: string;
  secret: string;
  maxUploadBytes?: number;
  maxMessageBytes: number;
  downloadUrlTtlSeconds?: number;
  syncSaveDelayMs?: number;
  /** Largest encoded size of one shared document. Default 640 KiB. */
  maxDocumentBytes?: number;
  /** Storage quota per room; absent = none. */
  maxRoomBytes?: number;
  /** Documents served with a fixed schema (path -> MeshSchema JSON); checked at start. */
  documentSchemas?: Readonly<Record<string, unknown>>;
  /** http://host:port of the server, known once it listens. */
  httpBase: () => string;
  participantsIn: (room: string) => Iterable<Participant>;
  log: (line: string) => void;
}

export interface DocumentUsage extends SyncTraffic {
  inMemory: number;
  writes: number;
  bytesWritten: number;
  peakWritesPerDocument: number;
}

interface Grants {
  storage: PathGrants | null;
  sync: PathGrants | null;
}

export class RoomServices {
  private readonly grants = new WeakMap<Participant, Grants>();
  private readonly streams: ToolStreams;
  private readonly storageCtx: StorageContext;
  private readonly syncCtx: SyncContext;
  private readonly documents: SyncStore;
  private readonly downloads: DownloadUrls;

  private constructor(
    private readonly opts: RoomServicesOptions,
    /** Read by GET /rooms (room-list.ts). */
    readonly dataDir: string,
    private readonly ownsDataDir: boolean,
  ) {
    const storage = new RoomStorage(dataDir);
    const maxUploadBytes = opts.maxUploadBytes ?? DEFAULT_MAX_UPLOAD_BYTES;
    if (!Number.isSafeInteger(maxUploadBytes) || maxUploadBytes < 0) {
      throw new RangeError(`maxUploadBytes must be a non-negative integer, got ${maxUploadBytes}`);
    }
    this.streams = new ToolStreams(opts.log);
    this.downloads = new DownloadUrls(
      opts.secret,
      opts.downloadUrlTtlSeconds ?? DEFAULT_DOWNLOAD_URL_TTL_SECONDS,
      opts.httpBase,
      storage,
    );
    const maxDocumentBytes = opts.maxDocumentBytes ?? DEFAULT_MAX_DOCUMENT_BYTES;
    if (!Number.isSafeInteger(maxDocumentBytes) || maxDocumentBytes < 1) {
      throw new RangeError(`maxDocumentBytes must be a positive integer, got ${maxDocumentBytes}`);
    }
    this.documents = new SyncStore(
      storage,
      { maxDocumentBytes, saveDelayMs: opts.syncSaveDelayMs ?? DEFAULT_SYNC_SAVE_DELAY_MS },
      opts.log,
    );
    const grantsOf = (kind: keyof Grants) => (p: Participant) => this.grants.get(p)?.[kind] ?? null;
    this.storageCtx = {
      storage,
      maxUploadBytes,
      maxRoomBytes: opts.maxRoomBytes ?? null,
      // Room for the chunk's JSON header inside one protocol message.
      maxChunkBytes: Math.max(1024, Math.min(256 * 1024, opts.maxMessageBytes - 4096)),
      grants: grantsOf("storage"),
      downloadUrl: (room, p) => this.downloads.sign(room, p),
      notify: (room, type, p, by) => {
        for (const member of opts.participantsIn(room)) {
          if (canRead(this.grants.get(member)?.storage ?? null, p))
            member.push(type, { path: p, participant_id: by.id });
        }
      },
      notifyMoved: (room, source, destination, by) => {
        for (const member of opts.participantsIn(room)) {
          const grants = this.grants.get(member)?.storage ?? null;
          if (canRead(grants, source) || canRead(grants, destination)) {
            member.push("storage.file.moved", {
              source_path: source,
              destination_path: destination,
              participant_id: by.id,
            });
          }
        }
      },
    };
    this.syncCtx = {
      documents: this.documents,
      maxDocumentBytes,
      storage,
      grants: grantsOf("sync"),
      knownSchemas: knownSchemas(opts.documentSchemas ?? {}),
      schemaMismatch: oncePer((path) =>
        opts.log(
          `a client opened ${path} with a schema other than the one the room serves it with ` +
            "(features/room-documents.ts, read at start): after changing a document's declaration, restart npm run dev",
        ),
      ),
    };
  }

  static async create(opts: RoomServicesOptions): Promise<RoomServices> {
    // Folders are created on first write, so merely starting never touches the disk.
    if (opts.dataDir !== undefined) return new RoomServices(opts, path.resolve(opts.dataDir), false);
    const temp = await fs.mkdtemp(path.join(os.tmpdir(), "dev-room-"));
    return new RoomServices(opts, temp, true);
  }

  joined(participant: Participant, claims: RoomTokenClaims): void {
    this.grants.set(participant, { storage: claims.storage, sync: claims.sync });
  }

  left(participant: Participant): void {
    this.streams.leave(participant);
  }

  handlesToolkit(toolkit: string): boolean {
    return toolkit === STORAGE_TOOLKIT || toolkit === SYNC_TOOLKIT;
  }

  /** room.invoke_tool for storage or sync. Synchronous refusals throw RequestError. */
  invokeTool(participant: Participant, requestId: number, request: JsonObject): void {
    const {
      toolkit,
      tool,
      arguments: args,
      tool_call_id: toolCallId,
    } = request as {
      toolkit: string;
      tool: string;
      arguments: unknown;
      tool_call_id: unknown;
    };
    const label = `${toolkit}.${tool}`;
    if (toolkit === STORAGE_TOOLKIT && STREAMED_STORAGE_TOOLS.has(tool)) {
      this.streams.open(participant, requestId, toolCallId, args, label, (stream) =>
        tool === "upload"
          ? new UploadHandler(this.storageCtx, participant, stream)
          : new DownloadHandler(this.storageCtx, participant, stream),
      );
      return;
    }
    if (toolkit === SYNC_TOOLKIT && tool === "open") {
      this.streams.open(
        participant,
        requestId,
        toolCallId,
        args,
        label,
        (stream) => new SyncOpenHandler(this.syncCtx, participant, stream),
      );
      return;
    }
    const run =
      toolkit === STORAGE_TOOLKIT && Object.hasOwn(plainStorageTools, tool)
        ? (json: JsonObject) => plainStorageTools[tool](this.storageCtx, participant, json)
        : toolkit === SYNC_TOOLKIT && tool === "create"
          ? async (json: JsonObject) => {
              await createSyncDocument(this.syncCtx, participant, json);
              return { type: "empty" };
            }
          : undefined;
    if (run === undefined) throw new RequestError(`tool not found: ${label}`, ErrorCode.NOT_FOUND);
    const json = readJsonArguments(args);
    run(json).then(
      (content) => participant.respond(requestId, content),
      (error: unknown) => {
        if (error instanceof RequestError) {
          participant.respond(requestId, errorContent(error.message, error.code));
        } else {
          this.opts.log(`internal error in ${label} for ${participant.id}: ${String(error)}`);
          participant.respond(requestId, errorContent("internal error", ErrorCode.OPERATION_FAILED));
        }
      },
    );
  }

  requestChunk(participant: Participant, message: ProtocolMessage): void {
    this.streams.chunk(participant, message);
  }

  handlesHttp(url: string): boolean {
    return this.downloads.handles(url);
  }

  serveHttp(req: http.IncomingMessage, res: http.ServerResponse): void {
    this.downloads.serve(req, res).catch((error: unknown) => {
      this.opts.log(`internal error serving a download: ${String(error)}`);
      if (!res.headersSent) res.writeHead(500, { "Content-Type": "text/plain; charset=utf-8" });
      res.end("internal error");
    });
  }

  /** Shared documents in memory and their disk writes so far (`GET /usage`). */
  documentUsage(): DocumentUsage {
    const { writes, bytesWritten, peakWritesPerDocument } = this.documents.stats;
    return {
      inMemory: this.documents.inMemory,
      writes,
      bytesWritten,
      peakWritesPerDocument,
      ...this.documents.traffic,
    };
  }

  /** Saves pending documents; removes the data folder only if it was a temporary one. */
  async close(): Promise<void> {
    await this.streams.settle();
    await this.documents.flush();
    if (this.ownsDataDir) await fs.rm(this.dataDir, { recursive: true, force: true });
  }
}

function readJsonArguments(args: unknown): JsonObject {
  if (typeof args === "object" && args !== null && (args as JsonObject).type === "json") {
    const json = (args as JsonObject).json;
    if (typeof json === "object" && json !== null && !Array.isArray(json)) return json as JsonObject;
  }
  throw new RequestError("invalid arguments: expected json content with an object", ErrorCode.INVALID_REQUEST);
}
