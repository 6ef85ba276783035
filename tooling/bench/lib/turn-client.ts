/**
 * A bare SDK client speaking the agent-message turn protocol, for the agent
 * benchmarks' same-run baselines and for building a long thread quickly.
 * Requests are built and events parsed with the app's own protocol code
 * (lib/shared/agent-turn), so it talks to the demo agent exactly as the
 * Agents tab does, without React or a browser.
 */

import { performance } from "node:perf_hooks";
import type { RemoteParticipant, RoomClient, RoomMessageEvent } from "@meshagent/meshagent";
import { buildClientRequest, newMessageId } from "../../../lib/shared/agent-turn/build";
import type {
  AgentEvent,
  ClientRequest,
  ClientRequestType,
  TurnMessageOf,
} from "../../../lib/shared/agent-turn/messages";
import { AGENT_MESSAGE_ROOM_TYPE, parseAgentEvent } from "../../../lib/shared/agent-turn/parse";
import { waitFor, withTimeout } from "../../testing/wait";
import { joinRoom } from "./sdk-join";

type Fields<K extends ClientRequestType> = Omit<Extract<ClientRequest, { type: K }>, "type" | "message_id">;
type EventType = AgentEvent["type"];

interface Waiter {
  match: (event: AgentEvent) => boolean;
  resolve: (at: number) => void;
}

export class TurnClient {
  private waiters: Waiter[] = [];
  /** Called with every parsed event and the bench clock (performance.timeOrigin + now) it arrived at. */
  onEvent: ((event: AgentEvent, at: number) => void) | null = null;

  private constructor(readonly room: RoomClient) {
    room.messaging.on("message", (event: RoomMessageEvent) => {
      if (event.message.type !== AGENT_MESSAGE_ROOM_TYPE) return;
      const parsed = parseAgentEvent(event.message.message);
      if (!parsed) return;
      const at = performance.timeOrigin + performance.now();
      this.onEvent?.(parsed, at);
      this.waiters = this.waiters.filter((w) => {
        if (!w.match(parsed)) return true;
        w.resolve(at);
        return false;
      });
    });
  }

  static async join(roomUrl: string, room: string, secret: string, name: string): Promise<TurnClient> {
    return new TurnClient(await joinRoom({ roomUrl, room, secret, name, role: "user" }));
  }

  private agent(): RemoteParticipant | null {
    return (
      this.room.messaging.remoteParticipants.find((p) => p.getAttribute("supports_agent_messages") === true) ?? null
    );
  }

  /** Resolves (with its arrival time) at the next event of `type` that `where` accepts. */
  next<K extends EventType>(type: K, where: (event: TurnMessageOf<K>) => boolean, what: string, timeoutMs = 30_000) {
    const arrived = new Promise<number>((resolve) =>
      this.waiters.push({ match: (e) => e.type === type && where(e as TurnMessageOf<K>), resolve }),
    );
    return withTimeout(arrived, timeoutMs, what);
  }

  async send<K extends ClientRequestType>(type: K, fields: Fields<K>, messageId = newMessageId()): Promise<string> {
    await waitFor(() => this.agent() !== null, "a turn-protocol agent in the room", 15_000);
    const request = buildClientRequest(type, { ...fields, message_id: messageId } as never) as { message_id: string };
    await this.room.messaging.sendMessage({
      to: this.agent()!,
      type: AGENT_MESSAGE_ROOM_TYPE,
      message: request as unknown as Record<string, unknown>,
    });
    return request.message_id;
  }

  async startThread(name: string): Promise<string> {
    const messageId = newMessageId();
    let threadId = "";
    const started = this.next(
      "meshagent.agent.thread.started",
      (e) => {
        threadId = e.thread_id;
        return e.source_message_id === messageId;
      },
      "thread.started",
    );
    await this.send("meshagent.agent.thread.start", { name }, messageId);
    await started;
    return threadId;
  }

  /** thread.open {load: true}; resolves with the time thread.loaded arrived. */
  async open(threadId: string, timeoutMs = 120_000): Promise<number> {
    const loaded = this.next(
      "meshagent.agent.thread.loaded",
      (e) => e.thread_id === threadId,
      "thread.loaded",
      timeoutMs,
    );
    await this.send("meshagent.agent.thread.open", { thread_id: threadId, load: true });
    return loaded;
  }

  /** One turn; resolves once it has ended. */
  async turn(threadId: string, text: string, timeoutMs = 30_000): Promise<void> {
    let turnId: string | null = null;
    const sourceId = newMessageId();
    const accepted = this.next(
      "meshagent.agent.turn.start.accepted",
      (e) => {
        if (e.source_message_id !== sourceId) return false;
        turnId = e.turn_id ?? null;
        return true;
      },
      "turn.start.accepted",
      timeoutMs,
    );
    const ended = this.next(
      "meshagent.agent.turn.ended",
      (e) => turnId !== null && e.turn_id === turnId,
      "turn.ended",
      timeoutMs,
    );
    await this.send("meshagent.agent.turn.start", { thread_id: threadId, content: [{ type: "text", text }] }, sourceId);
    await accepted;
    await ended;
  }

  /** One turn; resolves with when its first and last text delta arrived (NaN for none). */
  async timedTurn(
    threadId: string,
    text: string,
    timeoutMs = 30_000,
  ): Promise<{ firstDelta: number; lastDelta: number }> {
    const times = { firstDelta: Number.NaN, lastDelta: Number.NaN };
    this.onEvent = (event, at) => {
      if (event.type !== "meshagent.agent.text_content.delta") return;
      if (Number.isNaN(times.firstDelta)) times.firstDelta = at;
      times.lastDelta = at;
    };
    try {
      await this.turn(threadId, text, timeoutMs);
    } finally {
      this.onEvent = null;
    }
    return times;
  }

  close(): void {
    this.room.dispose();
  }
}
