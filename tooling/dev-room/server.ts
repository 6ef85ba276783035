// HTTP + WebSocket front of the dev room server: authenticates during the
// upgrade (so a refused client sees an HTTP error immediately instead of a
// silent socket), wires each accepted socket to a participant, keeps sockets
// alive with pings, and serves /stats, /healthz and (for the app) /rooms.

import http from "node:http";
import type { Duplex } from "node:stream";
import { WebSocket, WebSocketServer, type RawData } from "ws";
import {
  DATA_CHUNK_BYTES,
  DATA_PACKET_PREFIX_BYTES,
  DEFAULT_MAX_MESSAGE_BYTES,
  HEADER_PACKET_PREFIX_BYTES,
  MAX_TYPE_BYTES,
  MessageReassembler,
  type FrameError,
} from "./framing";
import { RoomRegistry, expectsResponse, type RoomStatsEntry } from "./rooms";
import { SocketWriter, type SocketWriterLimits } from "./socket-writer";
import { FLOW_LIMITS, HTTP_TIMEOUTS } from "./room-limits";
import { startLoopMonitor } from "./loop-monitor";
import { SenderGate, asSender } from "./flow-gate";
import { statsBody } from "./stats-endpoint";
import { verifyRoomToken, type RoomTokenClaims, type TokenCheck } from "./token";
import { ErrorCode } from "./content";
import type { Participant } from "./participant";
import { RoomServices, type DocumentUsage } from "./room-services";
import { RoomToolkits, TOOL_CALL_RESPONSE, type ToolkitLimits } from "./toolkits";
import { MESSAGING_TOOLKIT } from "./messaging-toolkit";
import { STORAGE_TOOLKIT } from "./storage-toolkit";
import { SYNC_TOOLKIT } from "./sync-toolkit";
import { serveRoomList } from "./room-list";

export interface DevRoomServerOptions {
  /** 0 picks a free port. Default 0. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** HS256 secret participant tokens are signed with. */
  secret: string;
  /** Largest reassembled message accepted from a client. Default 1 MiB. */
  maxMessageBytes?: number;
  log?: (line: string) => void;
  /** Heartbeat period; a socket that misses one pong is terminated. Default 30 s. */
  pingIntervalMs?: number;
  /** Room files and documents, kept across restarts. Default: a temporary folder removed on close. */
  dataDir?: string;
  /** Largest file storage.upload accepts. Default 25 MiB. */
  maxUploadBytes?: number;
  /** Lifetime of storage.download_url links. Default 300 s. */
  downloadUrlTtlSeconds?: number;
  /** Debounce before a changed document is written to disk. Default 250 ms. */
  syncSaveDelayMs?: number;
  /** Largest encoded size of one shared document (DEV_ROOM_MAX_DOCUMENT_BYTES). Default 640 KiB. */
  maxDocumentBytes?: number;
  /** Storage quota of one room, all its files together (DEV_ROOM_MAX_ROOM_BYTES). Default: none. */
  maxRoomBytes?: number;
  /** Outbound flow-control thresholds; defaults in room-limits.ts (tests shorten the stall time). */
  flowLimits?: Partial<SocketWriterLimits>;
  /** How long a participant-hosted tool call may wait for its host's answer. Default 30 s (DEV_ROOM_TOOL_CALL_TIMEOUT_MS). */
  toolCallTimeoutMs?: number;
  /** Caps on participant toolkits; defaults in room-limits.ts (TOOLKIT_LIMITS). */
  toolkitLimits?: Partial<ToolkitLimits>;
  /**
   * The app's documents, path -> MeshSchema JSON (features/room-documents.ts):
   * every room serves them with this schema, whatever a client passes.
   */
  documentSchemas?: Readonly<Record<string, unknown>>;
}

export interface DevRoomStats {
  sockets: number;
  rooms: Record<string, RoomStatsEntry[]>;
}

export interface DevRoomServer {
  /** ws://host:port, without a path. */
  url: string;
  port: number;
  /** Terminates all sockets and frees the port. */
  close(): Promise<void>;
  stats(): DevRoomStats;
  /** Memory-relevant counters, for limit tests and benchmarks (also `GET /usage`). */
  usage(): DevRoomUsage;
}

export interface DevRoomUsage {
  /** Bytes of attributes held, all participants together (JSON-encoded). */
  attributeBytes: number;
  /** Bytes waiting to be sent, all sockets together. */
  backlogBytes: number;
  /** Largest backlog any one socket has had since the server started. */
  peakSocketBacklogBytes: number;
  /** Sockets whose reading is paused by flow control right now. */
  pausedSenders: number;
  /** Shared documents in memory, and their disk writes since the start. */
  documents: DocumentUsage;
  /** Participant toolkits registered, all rooms together. */
  toolkits: number;
  /** Relayed tool calls waiting for their host's answer. */
  toolCallsInFlight: number;
}

const ROOM_PATH = /^\/rooms\/([^/?]+)$/;
const DEFAULT_PING_INTERVAL_MS = 30_000;
/** Protocol errors tolerated on one socket before it is considered hopeless. */
const MAX_PROTOCOL_ERRORS = 32;
/** No legitimate packet is larger than a full data packet or a header with the longest type. */
const MAX_FRAME_BYTES = Math.max(
  HEADER_PACKET_PREFIX_BYTES + MAX_TYPE_BYTES,
  DATA_PACKET_PREFIX_BYTES + DATA_CHUNK_BYTES,
);
/** ws itself drops (1009, no reason) anything beyond this without buffering it. */
const WS_MAX_PAYLOAD = 64 * 1024;

const CLOSE_INVALID_DATA = 1007;
const CLOSE_POLICY = 1008;
const CLOSE_TOO_BIG = 1009;
const CLOSE_INTERNAL_ERROR = 1011;

export async function startDevRoomServer(opts: DevRoomServerOptions): Promise<DevRoomServer> {
  const host = opts.host ?? "127.0.0.1";
  const requestedPort = opts.port ?? 0;
  const maxMessageBytes = opts.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
  const pingIntervalMs = opts.pingIntervalMs ?? DEFAULT_PING_INTERVAL_MS;
  const log = opts.log ?? (() => {});
  const flowLimits: SocketWriterLimits = { ...FLOW_LIMITS, ...opts.flowLimits };
  const secret = opts.secret;
  if (typeof secret !== "string" || secret.length === 0)
    throw new Error("startDevRoomServer: secret must be a non-empty string");
  if (!Number.isInteger(requestedPort) || requestedPort < 0 || requestedPort > 65535) {
    throw new RangeError(`startDevRoomServer: port must be an integer 0-65535, got ${requestedPort}`);
  }
  if (!Number.isSafeInteger(maxMessageBytes) || maxMessageBytes < 1) {
    throw new RangeError(`startDevRoomServer: maxMessageBytes must be a positive integer, got ${maxMessageBytes}`);
  }

  let url = "";
  let closing = false;
  const sockets = new Set<WebSocket>();
  const alive = new WeakMap<WebSocket, boolean>();
  // Upgrades still verifying their token are detached from the HTTP server; track them for close().
  const pendingUpgrades = new Set<Duplex>();
  const registry = new RoomRegistry((room) => `${url}/rooms/${encodeURIComponent(room)}`, log);
  const services = await RoomServices.create({
    dataDir: opts.dataDir,
    secret,
    maxUploadBytes: opts.maxUploadBytes,
    maxMessageBytes,
    downloadUrlTtlSeconds: opts.downloadUrlTtlSeconds,
    syncSaveDelayMs: opts.syncSaveDelayMs,
    maxDocumentBytes: opts.maxDocumentBytes,
    maxRoomBytes: opts.maxRoomBytes,
    documentSchemas: opts.documentSchemas,
    httpBase: () => url.replace(/^ws/, "http"),
    participantsIn: (room) => registry.participantsIn(room),
    log,
  });
  registry.services = services;
  const toolkits = new RoomToolkits({
    reserved: new Set([MESSAGING_TOOLKIT, STORAGE_TOOLKIT, SYNC_TOOLKIT]),
    toolCallTimeoutMs: opts.toolCallTimeoutMs,
    limits: opts.toolkitLimits,
    log,
  });
  registry.toolkits = toolkits;
  const wss = new WebSocketServer({ noServer: true, maxPayload: WS_MAX_PAYLOAD });

  const loopMonitor = startLoopMonitor();
  const stats = (): DevRoomStats => ({ sockets: sockets.size, rooms: registry.stats() });

  const liveWriters = new Set<SocketWriter>();
  let peakOfClosedWriters = 0;

  const server = http.createServer(
    {
      // A client that opens a connection and never completes (or drips) its upgrade request is dropped (D18).
      headersTimeout: HTTP_TIMEOUTS.headersTimeoutMs,
      requestTimeout: HTTP_TIMEOUTS.requestTimeoutMs,
      connectionsCheckingInterval: HTTP_TIMEOUTS.checkIntervalMs,
    },
    (req, res) => {
      const path = (req.url ?? "/").split("?")[0];
      if (req.method === "GET" && path === "/stats") {
        res.writeHead(200, { "Content-Type": "application/json", "Cache-Control": "no-store" });
        res.end(JSON.stringify(statsBody(req, secret, stats())));
      } else if (req.method === "GET" && path === "/rooms") {
        serveRoomList(req, res, { secret, dataDir: services.dataDir, occupancy: () => registry.stats() }).catch(() => {
          if (!res.headersSent) res.writeHead(500);
          res.end();
        });
      } else if (services.handlesHttp(path)) {
        services.serveHttp(req, res);
      } else if (req.method === "GET" && path === "/usage") {
        // Event-loop delay since the last reset lets a benchmark see whether one room stalled the others.
        const memory = process.memoryUsage();
        const body = {
          ...usage(),
          pid: process.pid,
          rssBytes: memory.rss,
          heapUsedBytes: memory.heapUsed,
          heapTotalBytes: memory.heapTotal,
          externalBytes: memory.external,
          eventLoop: loopMonitor.read(),
        };
        res.writeHead(200, { "Content-Type": "application/json", "Cache-Control": "no-store" });
        res.end(JSON.stringify(body));
      } else if (req.method === "POST" && path === "/usage/reset") {
        loopMonitor.reset();
        res.writeHead(204, { "Cache-Control": "no-store" });
        res.end();
      } else if (req.method === "GET" && path === "/healthz") {
        res.writeHead(200, { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" });
        res.end("ok");
      } else {
        res.writeHead(404, { "Content-Type": "text/plain; charset=utf-8" });
        res.end("not found");
      }
    },
  );

  const accept = (ws: WebSocket, claims: RoomTokenClaims): void => {
    sockets.add(ws);
    alive.set(ws, true);
    const reassembler = new MessageReassembler(maxMessageBytes);
    let protocolErrors = 0;
    // Assigned right below; closeWith can only run after join().
    // eslint-disable-next-line prefer-const -- closeWith (above the join) reads it before it is assigned
    let participant: Participant | undefined;

    const closeWith = (code: number, reason: string): void => {
      log(`closing socket of ${participant?.id ?? "?"} (${code} ${reason})`);
      if (participant) registry.leave(participant);
      if (ws.readyState === WebSocket.OPEN || ws.readyState === WebSocket.CONNECTING) ws.close(code, reason);
    };

    const onFrameError = (p: Participant, error: FrameError): void => {
      log(`protocol error from ${p.id}: ${error.code}: ${error.detail}`);
      if (error.fatal) {
        closeWith(CLOSE_INVALID_DATA, `malformed frame (${error.code})`);
        return;
      }
      // A toolkit host's broken answer: its caller is the one waiting.
      if (error.id !== undefined && error.type === TOOL_CALL_RESPONSE) {
        const why = error.code === "message_too_large" ? `over ${maxMessageBytes} bytes` : error.code;
        toolkits.unreadableAnswer(p, error.id, why);
      }
      // Whoever sent a request is waiting on its id: answer rather than leave it pending.
      if (error.id !== undefined && (error.type === undefined || expectsResponse(error.type))) {
        const text =
          error.code === "message_too_large"
            ? `message too large (limit ${maxMessageBytes} bytes)`
            : `malformed message: ${error.detail}`;
        p.respondError(error.id, text, ErrorCode.INVALID_REQUEST);
      }
      if (++protocolErrors > MAX_PROTOCOL_ERRORS) closeWith(CLOSE_INVALID_DATA, "too many protocol errors");
    };

    ws.on("error", (error) => log(`socket error: ${error.message}`));
    ws.on("pong", () => alive.set(ws, true));
    ws.on("close", () => {
      sockets.delete(ws);
      if (participant) registry.leave(participant);
    });

    const writer = new SocketWriter(
      ws,
      (reason) =>
        reason === "internal error"
          ? closeWith(CLOSE_INTERNAL_ERROR, "internal error")
          : closeWith(CLOSE_POLICY, "slow consumer"),
      flowLimits,
    );
    const joined = registry.join(claims, writer);
    participant = joined;
    liveWriters.add(writer);
    ws.once("close", () => {
      liveWriters.delete(writer);
      peakOfClosedWriters = Math.max(peakOfClosedWriters, writer.peakBacklog);
    });

    // Flow control applies to the sender, per destination (D7, 19 M3; flow-gate.ts).
    const gate = new SenderGate(ws);

    ws.on("message", (data: RawData, isBinary: boolean) => {
      if (!joined.active) return;
      try {
        if (!isBinary) {
          closeWith(CLOSE_INVALID_DATA, "text frames are not supported");
          return;
        }
        const frame = toBytes(data);
        if (frame.length > MAX_FRAME_BYTES) {
          closeWith(CLOSE_TOO_BIG, `frame over ${MAX_FRAME_BYTES} bytes`);
          return;
        }
        asSender(gate, () => {
          for (const event of reassembler.feed(frame)) {
            if (!joined.active) return;
            if (event.kind === "message") registry.handleMessage(joined, event.message);
            else onFrameError(joined, event.error);
          }
        });
      } catch (error) {
        log(`internal error on socket of ${joined.id}: ${String(error)}`);
        closeWith(CLOSE_INTERNAL_ERROR, "internal error");
      }
    });
  };

  const handleUpgrade = async (req: http.IncomingMessage, socket: Duplex, head: Buffer): Promise<void> => {
    if (closing) return rejectUpgrade(socket, 503, "server shutting down");
    const rawUrl = req.url ?? "";
    const queryStart = rawUrl.indexOf("?");
    const rawPath = queryStart === -1 ? rawUrl : rawUrl.slice(0, queryStart);
    const query = new URLSearchParams(queryStart === -1 ? "" : rawUrl.slice(queryStart + 1));
    const match = ROOM_PATH.exec(rawPath);
    if (!match) return rejectUpgrade(socket, 404, "not found");
    let room: string;
    try {
      room = decodeURIComponent(match[1]);
    } catch {
      return rejectUpgrade(socket, 400, "invalid room name encoding");
    }
    const token = query.get("token") || bearerToken(req.headers.authorization);
    pendingUpgrades.add(socket);
    let check: TokenCheck;
    try {
      check = await verifyRoomToken(token, secret, room);
    } finally {
      pendingUpgrades.delete(socket);
    }
    if (!check.ok) {
      log(`refused connection to room ${room}: ${check.message}`);
      return rejectUpgrade(socket, 403, check.message);
    }
    if (socket.destroyed) return;
    if (closing) return rejectUpgrade(socket, 503, "server shutting down");
    const claims = check.claims;
    wss.handleUpgrade(req, socket, head, (ws) => accept(ws, claims));
  };

  server.on("upgrade", (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on("error", (error) => log(`upgrade socket error: ${error.message}`));
    handleUpgrade(req, socket, head).catch((error: unknown) => {
      log(`internal error during upgrade: ${String(error)}`);
      rejectUpgrade(socket, 500, "internal error");
    });
  });

  await new Promise<void>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException): void => {
      wss.close();
      void services.close();
      reject(
        error.code === "EADDRINUSE"
          ? new Error(`port ${requestedPort} is already in use (set DEV_ROOM_PORT to another port)`)
          : error,
      );
    };
    server.once("error", onError);
    server.listen(requestedPort, host, () => {
      server.off("error", onError);
      resolve();
    });
  });
  server.on("error", (error) => log(`http server error: ${error.message}`));

  const address = server.address();
  const port = typeof address === "object" && address !== null ? address.port : requestedPort;
  url = `ws://${urlHost(host)}:${port}`;

  const heartbeat = setInterval(() => {
    for (const ws of sockets) {
      // A sender paused by flow control cannot read its pong; the stall timer bounds the pause.
      if (ws.isPaused) continue;
      if (alive.get(ws) !== true) {
        log("terminating a socket that missed its pong");
        ws.terminate();
        continue;
      }
      alive.set(ws, false);
      try {
        ws.ping();
      } catch {
        ws.terminate();
      }
    }
  }, pingIntervalMs);
  heartbeat.unref();

  let closed: Promise<void> | null = null;
  const close = (): Promise<void> => {
    closed ??= (async () => {
      closing = true;
      clearInterval(heartbeat);
      loopMonitor.stop();
      for (const socket of pendingUpgrades) socket.destroy();
      const socketsClosed = [...sockets].map((ws) => new Promise<void>((resolve) => ws.once("close", () => resolve())));
      for (const ws of sockets) ws.terminate();
      await Promise.all(socketsClosed);
      wss.close();
      const serverClosed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await serverClosed;
      await services.close();
    })();
    return closed;
  };

  const usage = (): DevRoomUsage => {
    let backlogBytes = 0;
    let peakSocketBacklogBytes = peakOfClosedWriters;
    for (const writer of liveWriters) {
      backlogBytes += writer.backlog();
      peakSocketBacklogBytes = Math.max(peakSocketBacklogBytes, writer.peakBacklog);
    }
    const pausedSenders = [...sockets].filter((ws) => ws.isPaused).length;
    const { toolkits: registered, callsInFlight } = toolkits.usage();
    return {
      attributeBytes: registry.attributeBytes(),
      backlogBytes,
      peakSocketBacklogBytes,
      pausedSenders,
      documents: services.documentUsage(),
      toolkits: registered,
      toolCallsInFlight: callsInFlight,
    };
  };

  return { url, port, close, stats, usage };
}

function toBytes(data: RawData): Uint8Array {
  if (Array.isArray(data)) return Buffer.concat(data);
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return data;
}

function bearerToken(header: string | undefined): string | null {
  const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  return match ? match[1] : null;
}

function urlHost(host: string): string {
  if (host === "0.0.0.0" || host === "") return "127.0.0.1";
  if (host === "::") return "[::1]";
  return host.includes(":") ? `[${host}]` : host;
}

function rejectUpgrade(socket: Duplex, status: number, text: string): void {
  if (socket.destroyed) return;
  const body = Buffer.from(text, "utf8");
  const head =
    `HTTP/1.1 ${status} ${http.STATUS_CODES[status] ?? ""}\r\n` +
    "Connection: close\r\n" +
    "Content-Type: text/plain; charset=utf-8\r\n" +
    "Cache-Control: no-store\r\n" +
    `Content-Length: ${body.length}\r\n\r\n`;
  socket.once("finish", () => socket.destroy());
  socket.end(Buffer.concat([Buffer.from(head, "latin1"), body]));
  // A peer that never reads must not pin the socket.
  setTimeout(() => socket.destroy(), 1000).unref();
}
