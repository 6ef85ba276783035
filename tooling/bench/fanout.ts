/**
 * Local room fan-out, as a curve: at 10, 50 and 200 clients, real SDK clients
 * (RoomClient + Protocol + WebSocketProtocolChannel, participant tokens signed
 * with the room secret) in one room on the dev room server, broadcasts spread
 * over up to 5 senders, each sender keeping at most WINDOW broadcasts
 * unacknowledged. Baseline at each size: the same number of raw `ws` clients
 * on a bare broadcast server, same messages, same window.
 *
 * The headline is the room server's efficiency, deliveries per server
 * CPU-second: all clients share this process, so end-to-end deliveries/s
 * mostly measures the clients. Also p99 delivery latency (the send timestamp
 * travels in the message), lost deliveries, and the room server's RSS per
 * connected client.
 *
 * The SDK comes from lib/sdk-node.ts: unmodified, but with its UTF-8 polyfill
 * mapped to the native codecs as the app does in the browser.
 */

import { performance } from "node:perf_hooks";
import type { RoomClient, RoomMessageEvent } from "@meshagent/meshagent";
import { WebSocket } from "ws";
import { participantApiScope } from "../../lib/participant-scope";
import type { BenchContext } from "./lib/context";
import { freePort } from "./lib/ports";
import { withTimeout } from "../testing/wait";
import { sleep, startTsChild, waitForOutput } from "./lib/proc";
import { processCpuSeconds, processRssBytes } from "./lib/proc-stats";
import { startRoomServer } from "./lib/room-server";
import { loadNodeSdk } from "./lib/sdk-node";
import { percentile, ratio } from "./lib/stats";
import { goal, row, type BenchResult, type Row } from "./lib/table";

const SIZES = (process.env.BENCH_FANOUT_SIZES ?? "10,50,200")
  .split(",")
  .map((size) => Number(size.trim()))
  .filter((size) => Number.isInteger(size) && size >= 2);
/** Deliveries per side and size: broadcasts = this / (clients - 1), so every size does the same work. */
const DELIVERIES = Number(process.env.BENCH_FANOUT_DELIVERIES ?? 250_000);
const MAX_SENDERS = Number(process.env.BENCH_FANOUT_SENDERS ?? 5);
const WINDOW = Number(process.env.BENCH_FANOUT_WINDOW ?? 10);
/** Upper bound for one side's send + drain phase. */
const DRAIN_TIMEOUT_MS = Number(process.env.BENCH_FANOUT_TIMEOUT_MS ?? 120_000);
/** After the last ack: give up on stragglers once nothing arrived for this long. */
const IDLE_MS = 5000;
const ROOM = "fanout";

interface Shape {
  clients: number;
  messages: number;
  senders: number;
}

function shape(clients: number): Shape {
  const senders = Math.min(MAX_SENDERS, clients);
  const perSender = Math.max(1, Math.round(DELIVERIES / (clients - 1) / senders));
  return { clients, senders, messages: perSender * senders };
}

/** One side of the comparison: connected clients that can send and report deliveries. */
interface Transport {
  /** Sends broadcast `seq` of `sender` (a client index) and resolves when the server acknowledged it. */
  send(sender: number, seq: number, sentAt: number): Promise<void>;
  close(): Promise<void>;
  /** The server process, for CPU accounting. */
  serverPid: number | undefined;
  /** Server RSS before any client connected and once all were connected and enabled. */
  rssBeforeBytes: number;
  rssConnectedBytes: number;
}

type Deliver = (receiver: number, sender: number, seq: number, sentAt: number) => void;

interface FanoutRun {
  deliveriesPerSecond: number;
  messagesPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  expected: number;
  delivered: number;
  lost: number;
  duplicates: number;
  sendErrors: number;
  seconds: number;
  connectMs: number;
  /** CPU seconds used while sending and draining: the server process, and this process (all clients). */
  serverCpuSeconds: number;
  clientCpuSeconds: number;
  /** Deliveries per server CPU-second: the server's own efficiency. */
  serverCapacity: number;
  rssPerClientBytes: number;
}

async function drive(
  { clients, messages, senders: senderCount }: Shape,
  connect: (deliver: Deliver) => Promise<Transport>,
): Promise<FanoutRun> {
  const perSender = Math.floor(messages / senderCount);
  const total = perSender * senderCount;
  const expected = total * (clients - 1);
  const seen = Array.from({ length: clients }, () => new Uint8Array(total));
  const latencies = new Float64Array(expected);
  let delivered = 0;
  let duplicates = 0;
  let lastDeliveryAt = 0;

  const deliver: Deliver = (receiver, sender, seq, sentAt) => {
    const now = performance.now();
    const id = sender * perSender + seq;
    if (receiver === sender || id < 0 || id >= total || seen[receiver][id] === 1) {
      duplicates++;
      return;
    }
    seen[receiver][id] = 1;
    latencies[delivered++] = now - sentAt;
    lastDeliveryAt = now;
  };

  const connectStarted = performance.now();
  const transport = await connect(deliver);
  const connectMs = performance.now() - connectStarted;
  let sendErrors = 0;
  try {
    const started = performance.now();
    const serverCpuBefore = processCpuSeconds(transport.serverPid);
    const clientCpuBefore = process.cpuUsage();
    const senders = Array.from({ length: senderCount }, async (_, sender) => {
      let next = 0;
      const lanes = Array.from({ length: WINDOW }, async () => {
        while (next < perSender) {
          const seq = next++;
          try {
            await transport.send(sender, seq, performance.now());
          } catch {
            sendErrors++;
          }
        }
      });
      await Promise.all(lanes);
    });
    const deadline = started + DRAIN_TIMEOUT_MS;
    await withTimeout(Promise.all(senders), DRAIN_TIMEOUT_MS, "sending the broadcasts");
    while (
      delivered < expected &&
      performance.now() < deadline &&
      performance.now() - Math.max(lastDeliveryAt, started) < IDLE_MS
    ) {
      await sleep(10);
    }
    const serverCpuSeconds = processCpuSeconds(transport.serverPid) - serverCpuBefore;
    const clientCpu = process.cpuUsage(clientCpuBefore);
    const seconds = (lastDeliveryAt - started) / 1000;
    const measured = latencies.subarray(0, delivered);
    return {
      serverCapacity: delivered / serverCpuSeconds,
      rssPerClientBytes: (transport.rssConnectedBytes - transport.rssBeforeBytes) / clients,
      deliveriesPerSecond: delivered / seconds,
      messagesPerSecond: total / seconds,
      p50Ms: percentile(measured, 50),
      p99Ms: percentile(measured, 99),
      expected,
      delivered,
      lost: expected - delivered,
      duplicates,
      sendErrors,
      seconds,
      connectMs,
      serverCpuSeconds,
      clientCpuSeconds: (clientCpu.user + clientCpu.system) / 1e6,
    };
  } finally {
    await transport.close();
  }
}

/** The SDK prints "GOT RESPONSE" for every response and warns about events after dispose(). */
function silenceSdk(): () => void {
  const { log, warn } = console;
  console.log = (...args: unknown[]) => {
    if (args[0] === "GOT RESPONSE") return;
    log(...args);
  };
  console.warn = (...args: unknown[]) => {
    if (typeof args[0] === "string" && args[0].startsWith("No handler for message type")) return;
    warn(...args);
  };
  return () => {
    console.log = log;
    console.warn = warn;
  };
}

async function sdkSide(ctx: BenchContext, count: number, deliver: Deliver, secret: string): Promise<Transport> {
  const sdk = await loadNodeSdk();
  const server = await startRoomServer(secret);
  const rssBeforeBytes = processRssBytes(server.proc.child.pid);
  const clients: RoomClient[] = [];
  const close = async () => {
    for (const client of clients) {
      try {
        client.dispose();
      } catch {
        // already gone
      }
    }
    await sleep(200);
    await server.proc.stop();
  };
  try {
    const expiration = new Date(Date.now() + 15 * 60_000);
    for (let i = 0; i < count; i++) {
      const token = new sdk.ParticipantToken({ name: `fanout-${i}` });
      token.addRoomGrant(ROOM);
      token.addRoleGrant("user");
      token.addApiGrant(participantApiScope());
      const jwt = await token.toJwt({ token: secret, expiration });
      const client = new sdk.RoomClient({
        protocol: new sdk.Protocol({
          channel: new sdk.WebSocketProtocolChannel({ url: `${server.url}/rooms/${ROOM}`, jwt }),
        }),
      });
      clients.push(client);
    }
    await withTimeout(
      Promise.all(
        clients.map(async (client, receiver) => {
          await client.start({ onDone: () => {}, onError: () => {} });
          client.messaging.on("message", (event: RoomMessageEvent) => {
            if (event.message.type !== "bench") return;
            const m = event.message.message as { s: number; q: number; t: number };
            deliver(receiver, m.s, m.q, m.t);
          });
          await client.messaging.enable();
        }),
      ),
      60_000,
      `connecting ${count} SDK clients`,
    );
    // Broadcasts only reach participants the server has as messaging-enabled.
    await withTimeout(
      (async () => {
        for (;;) {
          const stats = await server.stats();
          if ((stats.rooms[ROOM] ?? []).filter((p) => p.messaging).length === count) return;
          await sleep(50);
        }
      })(),
      10_000,
      "all participants enabled on the server",
    );
    ctx.log(`fanout: ${count} SDK clients in room "${ROOM}" on ${server.url}`);
  } catch (error) {
    await close();
    throw error;
  }
  // Settle allocation from the handshakes before reading the resident set.
  await sleep(500);
  return {
    serverPid: server.proc.child.pid,
    rssBeforeBytes,
    rssConnectedBytes: processRssBytes(server.proc.child.pid),
    send: (sender, seq, sentAt) =>
      clients[sender].messaging.broadcastMessage({ type: "bench", message: { s: sender, q: seq, t: sentAt } }),
    close,
  };
}

async function bareSide(ctx: BenchContext, count: number, deliver: Deliver): Promise<Transport> {
  const port = await freePort(7728);
  const server = startTsChild("bare ws server", "tooling/bench/lib/bare-ws-child.ts", { BENCH_PORT: String(port) });
  const sockets: WebSocket[] = [];
  /** Per client: resolvers of unacknowledged sends, in order (acks come back in order). */
  const pending: (() => void)[][] = [];
  const close = async () => {
    for (const socket of sockets) socket.terminate();
    await server.stop();
  };
  let rssBeforeBytes = Number.NaN;
  try {
    await waitForOutput(server, /BENCH_READY/, 30_000);
    rssBeforeBytes = processRssBytes(server.child.pid);
    await withTimeout(
      Promise.all(
        Array.from({ length: count }, (_, receiver) => {
          const socket = new WebSocket(`ws://127.0.0.1:${port}/`, { perMessageDeflate: false });
          sockets.push(socket);
          pending.push([]);
          socket.on("error", () => {});
          socket.on("message", (data: Buffer) => {
            if (data.length === 1) {
              pending[receiver].shift()?.();
              return;
            }
            deliver(receiver, data.readUInt32LE(8), data.readUInt32LE(12), data.readDoubleLE(0));
          });
          return new Promise<void>((resolve, reject) => {
            socket.once("open", () => resolve());
            socket.once("error", reject);
          });
        }),
      ),
      60_000,
      `connecting ${count} ws clients`,
    );
    ctx.log(`fanout: ${count} raw ws clients on ws://127.0.0.1:${port}`);
  } catch (error) {
    await close();
    throw error;
  }
  await sleep(500);
  return {
    serverPid: server.child.pid,
    rssBeforeBytes,
    rssConnectedBytes: processRssBytes(server.child.pid),
    send: (sender, seq, sentAt) =>
      new Promise<void>((resolve, reject) => {
        const frame = Buffer.allocUnsafe(16);
        frame.writeDoubleLE(sentAt, 0);
        frame.writeUInt32LE(sender, 8);
        frame.writeUInt32LE(seq, 12);
        pending[sender].push(resolve);
        sockets[sender].send(frame, { binary: true }, (error) => {
          if (error) reject(error);
        });
      }),
    close,
  };
}

const mib = (bytes: number) => bytes / (1024 * 1024);
const kib = (bytes: number) => bytes / 1024;

function sizeRows(size: Shape, sdk: FanoutRun, bare: FanoutRun): Row[] {
  const n = size.clients;
  return [
    row(
      `${n} clients: deliveries per server CPU-second`,
      sdk.serverCapacity,
      bare.serverCapacity,
      ">= 0.5x of bare ws",
      ratio(sdk.serverCapacity, bare.serverCapacity) >= 0.5,
    ),
    row(`${n} clients: p99 delivery latency (ms)`, sdk.p99Ms, bare.p99Ms),
    row(
      `${n} clients: lost + duplicates + send errors`,
      sdk.lost + sdk.duplicates + sdk.sendErrors,
      bare.lost + bare.duplicates + bare.sendErrors,
      "0",
      sdk.lost + sdk.duplicates + sdk.sendErrors === 0,
    ),
    row(`${n} clients: server RSS per connected client (KiB)`, kib(sdk.rssPerClientBytes), kib(bare.rssPerClientBytes)),
    row(
      `${n} clients: end-to-end deliveries/s (clients share one core)`,
      sdk.deliveriesPerSecond,
      bare.deliveriesPerSecond,
    ),
  ];
}

export async function fanout(ctx: BenchContext): Promise<Omit<BenchResult, "durationMs">> {
  const restoreConsole = silenceSdk();
  const rows: Row[] = [];
  const runs: { shape: Shape; sdk: FanoutRun; bare: FanoutRun }[] = [];
  try {
    for (const clients of SIZES) {
      const size = shape(clients);
      ctx.log(
        `fanout: ${clients} clients, ${size.messages} broadcasts from ${size.senders} senders, window ${WINDOW}…`,
      );
      const sdk = await drive(size, (deliver) => sdkSide(ctx, clients, deliver, ctx.roomSecret));
      const bare = await drive(size, (deliver) => bareSide(ctx, clients, deliver));
      runs.push({ shape: size, sdk, bare });
      rows.push(...sizeRows(size, sdk, bare));
    }
    const largest = runs.at(-1);
    const ratios = runs.map((r) => ratio(r.sdk.serverCapacity, r.bare.serverCapacity));
    const worst = Math.min(...ratios);
    const lost = runs.reduce((sum, r) => sum + r.sdk.lost + r.sdk.duplicates + r.sdk.sendErrors, 0);
    return {
      name: "fanout",
      goals: [
        goal(
          "3a",
          `room fan-out, deliveries per server CPU-second vs bare ws (worst of ${SIZES.join("/")} clients)`,
          worst,
          `${worst.toFixed(2)}x (${ratios.map((r) => r.toFixed(2)).join(" / ")})`,
          ">= 0.5x at every size",
          runs.length === SIZES.length && worst >= 0.5,
        ),
        goal(
          "3b",
          "room fan-out, lost deliveries (all sizes)",
          lost,
          String(lost),
          "0",
          runs.length === SIZES.length && lost === 0,
        ),
        ...(largest
          ? [
              goal(
                "3d",
                `room server RSS per connected client (${largest.shape.clients} clients)`,
                largest.sdk.rssPerClientBytes,
                `${Math.round(kib(largest.sdk.rssPerClientBytes))} KiB`,
                "reported",
                true,
              ),
            ]
          : []),
      ],
      title: `Room fan-out: SDK clients on the dev room server vs raw ws clients on a bare broadcast server, at ${SIZES.join(", ")} clients`,
      rows,
      notes: [
        `About ${DELIVERIES.toLocaleString("en-US")} expected deliveries per side and size (broadcasts = deliveries / (clients - 1), from up to ${MAX_SENDERS} senders), at most ${WINDOW} unacknowledged per sender.`,
        "Deliveries per server CPU-second = delivered / (utime + stime of the server process while sending and draining). All clients run in the bench process, so end-to-end deliveries/s is bounded by them.",
        "Latency = receive time - send timestamp carried in the message (one process, one clock). RSS per client = (server RSS with all clients connected and messaging enabled - RSS before the first) / clients.",
        "SDK clients: @meshagent/meshagent unmodified, bundled by esbuild with its @kayahr/text-encoding import mapped to the native codecs, as the app does in the browser (lib/sdk-node.ts).",
        ...(largest
          ? [
              `At ${largest.shape.clients} clients, connecting + enabling messaging took ${Math.round(largest.sdk.connectMs)} ms (raw ws ${Math.round(largest.bare.connectMs)} ms); the room server's RSS grew by ${mib(largest.sdk.rssPerClientBytes * largest.shape.clients).toFixed(1)} MiB.`,
            ]
          : []),
      ],
      details: { sizes: SIZES, deliveries: DELIVERIES, window: WINDOW, runs },
    };
  } finally {
    // Late warnings from disposed clients arrive on the next ticks.
    await sleep(300);
    restoreConsole();
  }
}
