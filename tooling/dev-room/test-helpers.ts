// Shared test scaffolding: tokens made with the SDK, real RoomClients, a
// harness that tears everything down, and a raw socket for wire-level checks.

import { spawn } from "node:child_process";
import fs from "node:fs/promises";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, expect, vi } from "vitest";
import { WebSocket } from "ws";
import { SignJWT } from "jose";
import {
  ApiScope,
  ParticipantToken,
  Protocol,
  RoomClient,
  RoomServerException,
  WebSocketProtocolChannel,
} from "@meshagent/meshagent";
import { waitFor, withTimeout } from "../testing/wait";
import { startDevRoomServer, type DevRoomServer, type DevRoomServerOptions } from "./server";
import {
  MessageReassembler,
  encodeMessage,
  packMessage,
  unpackMessage,
  type JsonObject,
  type ProtocolMessage,
} from "./framing";

export const SECRET = "dev-room-test-secret-0123456789";

export interface TokenOptions {
  name: string;
  room?: string;
  role?: string;
  /** Omitted: developmentAuthorization-style token without api grant. */
  api?: ApiScope;
  secret?: string;
  expiration?: Date;
}

export async function sdkToken(opts: TokenOptions): Promise<string> {
  const token = new ParticipantToken({ name: opts.name });
  token.addRoomGrant(opts.room ?? "test");
  token.addRoleGrant(opts.role ?? "user");
  if (opts.api) token.addApiGrant(opts.api);
  return token.toJwt({ token: opts.secret ?? SECRET, expiration: opts.expiration });
}

/** For claims the SDK cannot produce (e.g. an exp in the past). */
export async function handToken(claims: JsonObject, secret = SECRET, alg = "HS256"): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg, typ: "JWT" }).sign(new TextEncoder().encode(secret));
}

/**
 * The SDK logs "GOT RESPONSE" for every response, and warns about presence
 * events that reach a client after its dispose() unhooked messaging.
 */
// Captured once: spying again in the next test must not wrap the previous spy (endless recursion).
const originalLog = console.log.bind(console);
const originalWarn = console.warn.bind(console);

export function silenceSdkNoise(): void {
  const log = originalLog;
  vi.spyOn(console, "log").mockImplementation((...args: unknown[]) => {
    if (args[0] === "GOT RESPONSE") return;
    log(...args);
  });
  const warn = originalWarn;
  vi.spyOn(console, "warn").mockImplementation((...args: unknown[]) => {
    if (typeof args[0] === "string" && args[0].startsWith("No handler for message type messaging.send")) return;
    warn(...args);
  });
}

export interface ConnectedClient {
  room: RoomClient;
  errors: unknown[];
  done: () => boolean;
  /** start() promise; never rejects in 0.35.8 (it hangs on refusal). */
  started: Promise<void>;
}

export class Harness {
  server!: DevRoomServer;
  /** A fresh folder for room files and documents, when useHarness was given a `dataDir` prefix. */
  dataDir = "";
  /** Frames that broke "one message at a time" on some client socket; must stay empty. */
  readonly interleavings: string[] = [];
  private clients: RoomClient[] = [];
  private rawSockets: WebSocket[] = [];

  async start(opts: Partial<DevRoomServerOptions> = {}): Promise<DevRoomServer> {
    const dataDir = this.dataDir ? { dataDir: this.dataDir } : {};
    this.server = await startDevRoomServer({ port: 0, secret: SECRET, ...dataDir, ...opts });
    return this.server;
  }

  /** Who the server has in a room, by name, sorted. */
  names(room = "test"): string[] {
    return (this.server.stats().rooms[room] ?? []).map((p) => p.name).sort();
  }

  /** Opens a real SDK client; does not wait for start(). */
  open(jwt: string, path = "/rooms/test"): ConnectedClient {
    const room = new RoomClient({
      protocol: new Protocol({ channel: new WebSocketProtocolChannel({ url: `${this.server.url}${path}`, jwt }) }),
    });
    this.clients.push(room);
    watchFrames(room.protocol, this.interleavings);
    const errors: unknown[] = [];
    let done = false;
    const started = room.start({
      onDone: () => {
        done = true;
      },
      onError: (error: unknown) => {
        errors.push(error);
      },
    });
    return { room, errors, done: () => done, started };
  }

  /** Opens a client and waits until start() resolved and, unless told otherwise, messaging is enabled. */
  async join(name: string, opts: { room?: string; enable?: boolean; api?: ApiScope } = {}): Promise<RoomClient> {
    const roomName = opts.room ?? "test";
    const client = this.open(await sdkToken({ name, room: roomName, api: opts.api }), `/rooms/${roomName}`);
    await withTimeout(client.started, 2000, `${name} start()`);
    if (opts.enable !== false) await withTimeout(client.room.messaging.enable(), 2000, `${name} messaging.enable()`);
    return client.room;
  }

  /** A client started elsewhere (e.g. another SDK version, sdk-matrix.ts), torn down with the rest. */
  adopt(room: RoomClient): RoomClient {
    this.clients.push(room);
    return room;
  }

  dispose(room: RoomClient): void {
    this.clients = this.clients.filter((c) => c !== room);
    room.dispose();
  }

  async raw(jwt: string, path = "/rooms/test", options: { autoPong?: boolean } = {}): Promise<RawClient> {
    const socket = new WebSocket(`${this.server.url}${path}?token=${encodeURIComponent(jwt)}`, options);
    this.rawSockets.push(socket);
    const client = new RawClient(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once("open", () => resolve());
      socket.once("error", reject);
    });
    return client;
  }

  async cleanup(): Promise<void> {
    for (const room of this.clients) {
      try {
        room.dispose();
      } catch {
        // already gone
      }
    }
    this.clients = [];
    for (const socket of this.rawSockets) socket.terminate();
    this.rawSockets = [];
    await this.server?.close();
  }
}

/**
 * One Harness for a test file: a fresh room server per test (unless `start` is
 * false, for tests that start it with their own options), everything torn down
 * afterwards, and no interleaved frames seen by any client. With `dataDir`
 * (a folder name prefix) each test gets its own empty data folder, removed
 * after the server has stopped (and finished its pending writes).
 */
export function useHarness({ start = true, dataDir }: { start?: boolean; dataDir?: string } = {}): Harness {
  const h = new Harness();
  beforeEach(async () => {
    silenceSdkNoise();
    if (dataDir) h.dataDir = await fs.mkdtemp(path.join(os.tmpdir(), dataDir));
    if (start) await h.start();
  });
  afterEach(async () => {
    await h.cleanup();
    if (h.dataDir) await fs.rm(h.dataDir, { recursive: true, force: true });
    expect(h.interleavings.splice(0)).toEqual([]);
  });
  return h;
}

/**
 * Wraps the SDK's packet receiver (before start() binds it) to check that the
 * server never interleaves the frames of two messages on one socket.
 */
function watchFrames(protocol: Protocol, violations: string[]): void {
  const target = protocol as unknown as { onDataReceived: (packet: Uint8Array) => void };
  const original = target.onDataReceived;
  let expecting: { id: number; next: number; count: number } | null = null;
  target.onDataReceived = function (this: unknown, packet: Uint8Array) {
    const view = new DataView(packet.buffer, packet.byteOffset, packet.byteLength);
    const id = view.getUint32(0) * 2 ** 32 + view.getUint32(4);
    const index = view.getUint32(8);
    if (index === 0) {
      if (expecting) violations.push(`header of ${id} inside message ${expecting.id}`);
      const count = view.getUint32(12);
      expecting = count > 0 ? { id, next: 1, count } : null;
    } else if (!expecting || expecting.id !== id || expecting.next !== index) {
      violations.push(`packet ${index} of ${id} out of sequence`);
      expecting = null;
    } else {
      expecting = index === expecting.count ? null : { ...expecting, next: index + 1 };
    }
    return original.call(protocol, packet);
  };
}

/** A raw ws peer that speaks the framing by hand, for wire-level assertions and fuzzing. */
export class RawClient {
  readonly received: ProtocolMessage[] = [];
  /** Anything malformed the server sent us; must stay empty. */
  readonly streamErrors: string[] = [];
  closeCode: number | null = null;
  closeReason = "";
  private readonly reassembler = new MessageReassembler(16 << 20);
  private nextId = 0;

  constructor(readonly socket: WebSocket) {
    socket.on("error", () => {});
    socket.on("message", (data: Buffer) => {
      for (const event of this.reassembler.feed(new Uint8Array(data))) {
        if (event.kind === "message") this.received.push(event.message);
        else this.streamErrors.push(event.error.detail);
      }
    });
    socket.on("close", (code, reason) => {
      this.closeCode = code;
      this.closeReason = reason.toString();
    });
  }

  get open(): boolean {
    return this.socket.readyState === WebSocket.OPEN;
  }

  send(type: string, header: JsonObject, payload?: Uint8Array, id = this.nextId++): number {
    for (const frame of encodeMessage({ id, type, data: packMessage(header, payload) })) this.socket.send(frame);
    return id;
  }

  sendFrame(frame: Uint8Array | string): void {
    if (this.open) this.socket.send(frame);
  }

  async next(predicate: (m: ProtocolMessage) => boolean, what: string): Promise<ProtocolMessage> {
    await waitFor(() => this.received.some(predicate), what);
    return this.received.find(predicate)!;
  }

  headerOf(message: ProtocolMessage): JsonObject {
    const unpacked = unpackMessage(message.data);
    if (!unpacked.ok) throw new Error(unpacked.reason);
    return unpacked.header;
  }
}

/** A plain HTTP upgrade attempt, to see the status and body a refused client gets. */
export function rawUpgrade(
  url: string,
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(url.replace(/^ws/, "http"));
  return new Promise((resolve, reject) => {
    const req = http.request({
      hostname,
      port,
      path,
      headers: {
        Connection: "Upgrade",
        Upgrade: "websocket",
        "Sec-WebSocket-Version": "13",
        "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==",
        ...headers,
      },
    });
    req.on("response", (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (body += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("upgrade", (res, socket) => {
      socket.destroy();
      resolve({ status: res.statusCode ?? 101, body: "" });
    });
    req.on("error", reject);
    req.end();
  });
}

/**
 * Protocol packets built by hand, independently of framing.ts, so tests can
 * send exactly the malformed or out-of-order frames they mean to.
 */
export function rawHeaderPacket(id: number, count: number, type = "room.invoke_tool"): Uint8Array {
  const typeBytes = new TextEncoder().encode(type);
  const frame = new Uint8Array(16 + typeBytes.length);
  const view = new DataView(frame.buffer);
  view.setUint32(0, Math.floor(id / 2 ** 32));
  view.setUint32(4, id % 2 ** 32);
  view.setUint32(12, count);
  frame.set(typeBytes, 16);
  return frame;
}

export function rawDataPacket(id: number, index: number, chunk: Uint8Array): Uint8Array {
  const frame = new Uint8Array(12 + chunk.length);
  const view = new DataView(frame.buffer);
  view.setUint32(4, id);
  view.setUint32(8, index);
  frame.set(chunk, 12);
  return frame;
}

/** The RoomServerException a request is refused with; fails if it succeeds or hangs. */
export async function roomRefusal(promise: Promise<unknown>, ms = 3000): Promise<RoomServerException> {
  const error = await withTimeout(
    promise.then(
      () => null,
      (e: unknown) => e,
    ),
    ms,
    "request",
  );
  expect(error).toBeInstanceOf(RoomServerException);
  return error as RoomServerException;
}

export { waitFor, withTimeout };

/**
 * The local room as its own process (its own event loop, RSS and node flags),
 * started with `command` from the repository root on a free port; resolves
 * once it prints where it listens. `stop` kills its whole process group.
 */
export async function startRoomProcess(
  command: string,
  args: string[],
  env: Record<string, string>,
  timeoutMs: number,
): Promise<{ url: string; http: string; stop: () => void }> {
  const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
  const child = spawn(command, args, {
    cwd: repoRoot,
    detached: true,
    env: { ...process.env, DEV_ROOM_PORT: "0", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const stop = () => {
    try {
      process.kill(-child.pid!, "SIGKILL");
    } catch {
      // already gone
    }
  };
  let output = "";
  child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  try {
    await waitFor(() => /listening on (ws:\/\/\S+)/.test(output), "dev room process", timeoutMs);
  } catch (error) {
    stop();
    throw error;
  }
  const url = /listening on (ws:\/\/\S+)/.exec(output)![1];
  return { url, http: url.replace(/^ws/, "http"), stop };
}
