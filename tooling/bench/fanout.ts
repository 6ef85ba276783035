/**
 * 4. Local room fan-out: 50 real SDK clients (RoomClient + Protocol +
 * WebSocketProtocolChannel, participant tokens signed with the room secret)
 * in one room on the dev room server, 10,000 broadcasts spread over 5
 * senders, each sender keeping at most WINDOW broadcasts unacknowledged.
 * Measures deliveries/s (10,000 x 49), p99 delivery latency (send timestamp
 * travels in the message) and lost messages. Baseline: the same number of raw
 * `ws` clients on a bare broadcast server, same messages, same window.
 *
 * Each server runs in its own process (bench/lib/*-child.ts); all clients run
 * in this process, so client-side decoding cost counts on both sides.
 */

import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import {
  ParticipantToken,
  Protocol,
  RoomClient,
  WebSocketProtocolChannel,
  type RoomMessageEvent,
} from "@meshagent/meshagent";
import { WebSocket } from "ws";
import { participantApiScope } from "../../lib/participant-scope";
import type { BenchContext } from "./lib/context";
import { freePort } from "./lib/ports";
import { sleep, startTsChild, waitForOutput, withTimeout } from "./lib/proc";
import { startRoomServer } from "./lib/room-server";
import { percentile, ratio } from "./lib/stats";
import { row, type BenchResult } from "./lib/table";

const CLIENTS = Number(process.env.BENCH_FANOUT_CLIENTS ?? 50);
const MESSAGES = Number(process.env.BENCH_FANOUT_MESSAGES ?? 10_000);
const SENDERS = Number(process.env.BENCH_FANOUT_SENDERS ?? 5);
const WINDOW = Number(process.env.BENCH_FANOUT_WINDOW ?? 10);
/** Upper bound for one side's send + drain phase. */
const DRAIN_TIMEOUT_MS = Number(process.env.BENCH_FANOUT_TIMEOUT_MS ?? 120_000);
/** After the last ack: give up on stragglers once nothing arrived for this long. */
const IDLE_MS = 5000;
const ROOM = "fanout";

/** One side of the comparison: connected clients that can send and report deliveries. */
interface Transport {
  /** Sends broadcast `seq` of `sender` (a client index) and resolves when the server acknowledged it. */
  send(sender: number, seq: number, sentAt: number): Promise<void>;
  close(): Promise<void>;
  /** The server process, for CPU accounting. */
  serverPid: number | undefined;
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
}

/** utime + stime of a process from /proc (Linux), in seconds; NaN elsewhere. */
function processCpuSeconds(pid: number | undefined): number {
  if (pid === undefined) return Number.NaN;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // Fields 14 and 15 of stat(5) (utime, stime) are at 11 and 12 after the command name.
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return Number.NaN;
  }
}
const CLOCK_TICKS = 100;

async function drive(connect: (deliver: Deliver) => Promise<Transport>): Promise<FanoutRun> {
  const perSender = Math.floor(MESSAGES / SENDERS);
  const total = perSender * SENDERS;
  const expected = total * (CLIENTS - 1);
  const seen = Array.from({ length: CLIENTS }, () => new Uint8Array(total));
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
    const senders = Array.from({ length: SENDERS }, async (_, sender) => {
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

async function sdkSide(ctx: BenchContext, deliver: Deliver, secret: string): Promise<Transport> {
  const server = await startRoomServer(secret);
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
    for (let i = 0; i < CLIENTS; i++) {
      const token = new ParticipantToken({ name: `fanout-${i}` });
      token.addRoomGrant(ROOM);
      token.addRoleGrant("user");
      token.addApiGrant(participantApiScope());
      const jwt = await token.toJwt({ token: secret, expiration });
      const client = new RoomClient({
        protocol: new Protocol({ channel: new WebSocketProtocolChannel({ url: `${server.url}/rooms/${ROOM}`, jwt }) }),
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
      30_000,
      `connecting ${CLIENTS} SDK clients`,
    );
    // Broadcasts only reach participants the server has as messaging-enabled.
    await withTimeout(
      (async () => {
        for (;;) {
          const stats = await server.stats();
          if ((stats.rooms[ROOM] ?? []).filter((p) => p.messaging).length === CLIENTS) return;
          await sleep(50);
        }
      })(),
      10_000,
      "all participants enabled on the server",
    );
    ctx.log(`fanout: ${CLIENTS} SDK clients in room "${ROOM}" on ${server.url}`);
  } catch (error) {
    await close();
    throw error;
  }
  return {
    serverPid: server.proc.child.pid,
    send: (sender, seq, sentAt) =>
      clients[sender].messaging.broadcastMessage({ type: "bench", message: { s: sender, q: seq, t: sentAt } }),
    close,
  };
}

async function bareSide(ctx: BenchContext, deliver: Deliver): Promise<Transport> {
  const port = await freePort(7728);
  const server = startTsChild("bare ws server", "tooling/bench/lib/bare-ws-child.ts", { BENCH_PORT: String(port) });
  const sockets: WebSocket[] = [];
  /** Per client: resolvers of unacknowledged sends, in order (acks come back in order). */
  const pending: (() => void)[][] = [];
  const close = async () => {
    for (const socket of sockets) socket.terminate();
    await server.stop();
  };
  try {
    await waitForOutput(server, /BENCH_READY/, 30_000);
    await withTimeout(
      Promise.all(
        Array.from({ length: CLIENTS }, (_, receiver) => {
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
      30_000,
      `connecting ${CLIENTS} ws clients`,
    );
    ctx.log(`fanout: ${CLIENTS} raw ws clients on ws://127.0.0.1:${port}`);
  } catch (error) {
    await close();
    throw error;
  }
  return {
    serverPid: server.child.pid,
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

export async function fanout(ctx: BenchContext): Promise<Omit<BenchResult, "durationMs">> {
  const restoreConsole = silenceSdk();
  try {
    ctx.log(`fanout: SDK side, ${MESSAGES} broadcasts from ${SENDERS} senders, window ${WINDOW}…`);
    const sdk = await drive((deliver) => sdkSide(ctx, deliver, ctx.roomSecret));
    ctx.log("fanout: bare ws side…");
    const bare = await drive((deliver) => bareSide(ctx, deliver));
    const r = ratio(sdk.deliveriesPerSecond, bare.deliveriesPerSecond);
    // The room server's own efficiency, apart from the 50 clients sharing the bench process's core.
    const serverCapacity = sdk.expected / sdk.serverCpuSeconds;
    const bareCapacity = bare.expected / bare.serverCpuSeconds;
    return {
      name: "fanout",
      title: `4. Room fan-out: ${CLIENTS} SDK clients on the dev room server vs ${CLIENTS} raw ws clients on a bare broadcast server`,
      rows: [
        row("deliveries/s", sdk.deliveriesPerSecond, bare.deliveriesPerSecond, ">= 50 % of baseline", r >= 0.5),
        row("broadcasts/s", sdk.messagesPerSecond, bare.messagesPerSecond),
        row("p50 delivery latency (ms)", sdk.p50Ms, bare.p50Ms),
        row("p99 delivery latency (ms)", sdk.p99Ms, bare.p99Ms),
        row("lost deliveries", sdk.lost, bare.lost, "0", sdk.lost === 0 && bare.lost === 0),
        row(
          "duplicates + send errors",
          sdk.duplicates + sdk.sendErrors,
          bare.duplicates + bare.sendErrors,
          "0",
          sdk.duplicates + sdk.sendErrors === 0,
        ),
        row("time to deliver everything (s)", sdk.seconds, bare.seconds),
        row("server process CPU (s)", sdk.serverCpuSeconds, bare.serverCpuSeconds),
        row(
          "server capacity: deliveries per server CPU-second",
          serverCapacity,
          bareCapacity,
          ">= 50 % of baseline (server alone)",
          ratio(serverCapacity, bareCapacity) >= 0.5,
        ),
        row(`client process CPU, all ${CLIENTS} clients (s)`, sdk.clientCpuSeconds, bare.clientCpuSeconds),
      ],
      notes: [
        `${MESSAGES} broadcasts = ${SENDERS} senders x ${Math.floor(MESSAGES / SENDERS)}, at most ${WINDOW} unacknowledged per sender; ${sdk.expected.toLocaleString("en-US")} expected deliveries per side.`,
        "Latency = receive time - send timestamp carried in the message (one process, one clock). Servers in their own processes; clients in the bench process.",
        `Connecting + enabling messaging for ${CLIENTS} SDK clients took ${Math.round(sdk.connectMs)} ms (raw ws: ${Math.round(bare.connectMs)} ms).`,
      ],
      details: { clients: CLIENTS, messages: MESSAGES, senders: SENDERS, window: WINDOW, sdk, bare },
    };
  } finally {
    // Late warnings from disposed clients arrive on the next ticks.
    await sleep(300);
    restoreConsole();
  }
}
