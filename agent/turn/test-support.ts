// Test scaffolding for the turn protocol: a "browser" on the real SDK client
// that sends turn-protocol requests (built with lib/shared/agent-turn) and
// records every agent event it receives, parsed as the app parses them.

import type { RemoteParticipant, RoomClient, RoomMessageEvent } from "@meshagent/meshagent";
import { afterEach } from "vitest";
import { SECRET, waitFor, type Harness } from "../../tooling/dev-room/test-helpers";
import { startDemoAgent, type DemoAgent, type DemoAgentOptions } from "../index";
import { createOfflineTurnBrain } from "./offline-turn";
import type { TurnAgent } from "./turn-agent";
import { buildClientRequest } from "../../lib/shared/agent-turn/build";
import type { AgentEvent, ClientRequest, ClientRequestType, TurnMessageOf } from "../../lib/shared/agent-turn/messages";
import { AGENT_MESSAGE_ROOM_TYPE, parseAgentEvent } from "../../lib/shared/agent-turn/parse";

export interface SeenEvent {
  event: AgentEvent;
  at: number;
}

type Fields<K extends ClientRequestType> = Omit<Extract<ClientRequest, { type: K }>, "type" | "message_id"> & {
  message_id?: string;
};

export class TurnBrowser {
  readonly seen: SeenEvent[] = [];
  /** Room messages from the agent that did not parse (must stay empty: the agent sends only valid events). */
  readonly unparsed: unknown[] = [];

  constructor(readonly room: RoomClient) {
    room.messaging.on("message", (event: RoomMessageEvent) => {
      const m = event.message;
      if (m.type !== AGENT_MESSAGE_ROOM_TYPE) return;
      const parsed = parseAgentEvent(m.message);
      if (parsed) this.seen.push({ event: parsed, at: Date.now() });
      else this.unparsed.push(m.message);
    });
  }

  get events(): AgentEvent[] {
    return this.seen.map((s) => s.event);
  }

  agent(): RemoteParticipant | null {
    return this.room.messaging.remoteParticipants.find((p) => p.role === "agent" && p.online !== false) ?? null;
  }

  async waitForAgent(timeoutMs = 5000): Promise<RemoteParticipant> {
    await waitFor(() => this.agent()?.getAttribute("supports_agent_messages") === true, "the turn agent", timeoutMs);
    return this.agent()!;
  }

  /** Sends any payload as an agent-message (for malformed input too). */
  async raw(message: unknown, type = AGENT_MESSAGE_ROOM_TYPE): Promise<void> {
    await this.room.messaging.sendMessage({
      to: await this.waitForAgent(),
      type,
      message: message as Record<string, unknown>,
    });
  }

  /** Sends a request built like the app builds it; resolves with it (its message_id). */
  async send<K extends ClientRequestType>(type: K, fields: Fields<K>): Promise<Extract<ClientRequest, { type: K }>> {
    const request = buildClientRequest(type, fields as never) as Extract<ClientRequest, { type: K }>;
    await this.raw(request);
    return request;
  }

  of<K extends AgentEvent["type"]>(
    type: K,
    where: (event: TurnMessageOf<K>) => boolean = () => true,
  ): TurnMessageOf<K>[] {
    return this.events.filter((e): e is TurnMessageOf<K> => e.type === type && where(e as TurnMessageOf<K>));
  }

  async next<K extends AgentEvent["type"]>(
    type: K,
    where: (event: TurnMessageOf<K>) => boolean = () => true,
    timeoutMs = 5000,
  ): Promise<TurnMessageOf<K>> {
    await waitFor(() => this.of(type, where).length > 0, type.replace("meshagent.agent.", ""), timeoutMs);
    return this.of(type, where)[0];
  }

  /** The answer text of a turn: its final-answer deltas, in order. */
  answer(turnId: string): string {
    return this.of("meshagent.agent.text_content.delta", (e) => e.turn_id === turnId && e.phase !== "commentary")
      .map((e) => e.text)
      .join("");
  }

  /** Starts a new thread with one text message; resolves with the thread id and the turn id. */
  async startThread(text: string, extra: Partial<Fields<"meshagent.agent.thread.start">> = {}) {
    const request = await this.send("meshagent.agent.thread.start", {
      content: [{ type: "text", text }],
      ...extra,
    });
    const started = await this.next(
      "meshagent.agent.thread.started",
      (e) => e.source_message_id === request.message_id,
    );
    const accepted = await this.next(
      "meshagent.agent.turn.start.accepted",
      (e) => e.source_message_id === request.message_id,
    );
    return { threadId: started.thread_id, turnId: accepted.turn_id!, messageId: request.message_id! };
  }

  /** Sends a turn on an existing thread; resolves with its turn id once accepted. */
  async turn(threadId: string, text: string, extra: Partial<Fields<"meshagent.agent.turn.start">> = {}) {
    const request = await this.send("meshagent.agent.turn.start", {
      thread_id: threadId,
      content: [{ type: "text", text }],
      ...extra,
    });
    const accepted = await this.next(
      "meshagent.agent.turn.start.accepted",
      (e) => e.source_message_id === request.message_id,
    );
    return accepted.turn_id!;
  }

  ended(turnId: string, timeoutMs = 5000) {
    return this.next("meshagent.agent.turn.ended", (e) => e.turn_id === turnId, timeoutMs);
  }
}

export async function joinTurnBrowser(h: Harness, name: string, room: string): Promise<TurnBrowser> {
  const browser = new TurnBrowser(await h.join(name, { room }));
  await browser.waitForAgent();
  return browser;
}

/**
 * The demo agent in one room of the test harness's local room, with the
 * offline turn brain made quick, stopped after each test.
 */
export function useTurnAgent(h: Harness, room: string) {
  let agent: DemoAgent | null = null;
  const logs: string[] = [];
  afterEach(async () => {
    await agent?.stop();
    agent = null;
    logs.length = 0;
  });
  return {
    logs,
    async start(options: Partial<DemoAgentOptions> = {}): Promise<DemoAgent> {
      agent = startDemoAgent({
        rooms: [room],
        target: { where: "local-dev-room", apiUrl: h.server.url, secret: SECRET },
        backoff: { baseMs: 50, maxMs: 200 },
        turnBrain: createOfflineTurnBrain({ pieceDelayMs: 0, slowStepMs: 100 }),
        log: (line) => logs.push(line),
        ...options,
      });
      await agent.whenConnected();
      return agent;
    },
    /** The running agent's TurnAgent. */
    turn(): TurnAgent {
      if (!agent) throw new Error("the agent is not started");
      return agent.rooms.get(room)!.turn;
    },
    async stop(): Promise<void> {
      await agent?.stop();
      agent = null;
    },
  };
}
