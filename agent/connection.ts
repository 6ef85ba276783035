// Keeps the agent in one room: join with a freshly signed token, hand the
// client to the caller, and when the room goes away (server restart, network,
// refusal) dispose it and try again with backoff and a new token.

import { Protocol, RoomClient, WebSocketProtocolChannel, packMessage } from "@meshagent/meshagent";
import { backoffDelay } from "../lib/shared/backoff";
import type { Peer, RoomPort } from "./handler";

export interface RoomConnectionOptions {
  room: string;
  url: string;
  /** Called before every attempt: tokens are never reused across connections. */
  token: () => Promise<string>;
  /** The room is joined and messaging enabled; wire listeners to the client here. */
  onConnected: (client: RoomClient) => void;
  onDisconnected: () => void;
  log?: (line: string) => void;
  backoff?: { baseMs?: number; maxMs?: number };
  /** start() of 0.35.8 never settles for a refused socket; give up on an attempt after this. Default 10 s. */
  joinTimeoutMs?: number;
}

export class RoomConnection {
  /** Successful joins so far (1 after the first, 2 after one reconnect, ...). */
  joins = 0;
  /** Join attempts so far, each with a newly signed token. */
  attempts = 0;
  private client: RoomClient | null = null;
  private readonly stopping = new AbortController();
  private loop: Promise<void> | null = null;
  private waiters: (() => void)[] = [];
  private lastError: string | null = null;

  constructor(private readonly options: RoomConnectionOptions) {}

  get connected(): RoomClient | null {
    return this.client;
  }

  start(): void {
    this.loop ??= this.run();
  }

  /** Resolves once the room is joined (immediately if it already is). */
  whenConnected(): Promise<void> {
    if (this.client) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  async stop(): Promise<void> {
    this.stopping.abort();
    await this.loop;
  }

  private log(line: string): void {
    this.options.log?.(`[${this.options.room}] ${line}`);
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (!this.stopping.signal.aborted) {
      this.lastError = null;
      const closed = await this.session().catch((error: unknown) => {
        this.lastError = describe(error);
        return false;
      });
      if (this.stopping.signal.aborted) break;
      failures = closed ? 1 : failures + 1;
      const delay = backoffDelay(failures, { baseMs: 250, maxMs: 15_000, ...this.options.backoff });
      const why = this.lastError ? ` (${this.lastError})` : "";
      this.log(`${closed ? "room went away" : "could not join"}${why}; retrying in ${delay} ms`);
      await sleep(delay, this.stopping.signal);
    }
  }

  /** One connection's lifetime. Resolves true if it was joined and later lost, false if joining failed. */
  private async session(): Promise<boolean> {
    this.attempts++;
    const jwt = await this.options.token();
    const room = new RoomClient({
      protocol: new Protocol({ channel: new WebSocketProtocolChannel({ url: this.options.url, jwt }) }),
    });
    // Ends the session when the socket closes or stop() is called; removed again below so
    // attempts made while the room is down do not pile up listeners.
    let markClosed!: () => void;
    const closed = new Promise<void>((resolve) => (markClosed = resolve));
    this.stopping.signal.addEventListener("abort", markClosed);
    if (this.stopping.signal.aborted) markClosed(); // stop() during token()
    let joined = false;
    try {
      const started = room.start({
        onDone: () => markClosed(),
        onError: (error) => {
          this.lastError = describe(error);
        },
      });
      const outcome = await raceOutcome(
        (async () => {
          await started;
          await room.messaging.enable();
        })(),
        closed,
        this.options.joinTimeoutMs ?? 10_000,
      );
      if (outcome !== "ok") {
        if (outcome === "timeout") this.lastError ??= "no answer from the room";
        return false;
      }
      joined = true;
      this.joins++;
      this.client = room;
      this.log(`joined as ${room.localParticipant?.id ?? "?"}`);
      this.options.onConnected(room);
      for (const wake of this.waiters.splice(0)) wake();
      await closed;
      return true;
    } finally {
      this.stopping.signal.removeEventListener("abort", markClosed);
      if (joined) {
        this.client = null;
        this.options.onDisconnected();
      }
      room.dispose();
    }
  }
}

/** Who is in the room, as both protocols' handlers see them: online participants with a name. */
export function roomPeers(room: RoomClient): Pick<RoomPort, "peer" | "peers"> {
  const asPeer = (id: string): Peer | null => {
    const p = room.messaging.getParticipant(id);
    if (!p || p.online === false) return null;
    const name = p.getAttribute("name");
    return { id: p.id, name: typeof name === "string" ? name : "", role: p.role };
  };
  return {
    peer: asPeer,
    peers: () =>
      room.messaging.remoteParticipants.map((p) => asPeer(p.id)).filter((p): p is Peer => p !== null && p.name !== ""),
  };
}

/** The RoomPort the handler talks to, over a joined SDK client. */
export function roomPort(room: RoomClient): RoomPort {
  return {
    ...roomPeers(room),
    async send(toId, message) {
      const to = room.messaging.getParticipant(toId);
      if (!to) return;
      await room.messaging.sendMessage({ to, type: "chat", message, ignoreOffline: true });
    },
    // LocalParticipant.setAttribute sends one key per message; all keys of a status go in one.
    async setAttributes(attributes) {
      await room.protocol.send("set_attributes", packMessage(attributes));
    },
  };
}

async function raceOutcome(
  work: Promise<void>,
  closed: Promise<void>,
  timeoutMs: number,
): Promise<"ok" | "closed" | "timeout"> {
  let timer: NodeJS.Timeout | undefined;
  work.catch(() => {});
  try {
    return await Promise.race([
      work.then(() => "ok" as const),
      closed.then(() => "closed" as const),
      new Promise<"timeout">((resolve) => (timer = setTimeout(() => resolve("timeout"), timeoutMs))),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done, { once: true });
  });
}

function describe(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === "object" && error !== null && "message" in error) return String(error.message);
  return String(error);
}
