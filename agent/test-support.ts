// Test scaffolding for the demo agent: a "browser" on the real SDK client that
// speaks the user side of the chatbot contract and records what it sees.

import type { RemoteParticipant, RoomClient, RoomMessageEvent } from "@meshagent/meshagent";
import { waitFor, type Harness } from "../tooling/dev-room/test-helpers";
import { statusAttributes, threadPath } from "./contract";
import type { Peer, RoomPort } from "./handler";

export interface SeenChat {
  path: string;
  text: string;
  at: number;
}

export interface SeenStatus {
  attributes: Record<string, unknown>;
  at: number;
}

export class Browser {
  readonly chats: SeenChat[] = [];
  readonly statuses: SeenStatus[] = [];

  constructor(
    readonly room: RoomClient,
    /** The participant name the room knows this browser by (its token's name). */
    readonly name: string,
    private readonly agentName: string,
  ) {
    room.messaging.on("message", (event: RoomMessageEvent) => {
      const m = event.message;
      const from = room.messaging.getParticipant(m.fromParticipantId);
      if (m.type === "chat" && from?.role === "agent") {
        this.chats.push({ path: String(m.message.path), text: String(m.message.text), at: Date.now() });
      }
    });
    room.messaging.on(
      "participant_attributes_updated",
      (event: { message: { fromParticipantId: string; message: Record<string, unknown> } }) => {
        const from = room.messaging.getParticipant(event.message.fromParticipantId);
        if (from?.role !== "agent") return;
        this.statuses.push({ attributes: { ...(event.message.message.attributes as object) }, at: Date.now() });
      },
    );
  }

  get path(): string {
    return threadPath(this.agentName, this.name);
  }

  agent(): RemoteParticipant | null {
    return this.room.messaging.remoteParticipants.find((p) => p.role === "agent" && p.online !== false) ?? null;
  }

  async waitForAgent(timeoutMs = 5000): Promise<RemoteParticipant> {
    await waitFor(() => this.agent() !== null, "the agent to be in the room", timeoutMs);
    return this.agent()!;
  }

  async send(type: string, message: Record<string, unknown>): Promise<void> {
    await this.room.messaging.sendMessage({ to: await this.waitForAgent(), type, message });
  }

  opened(path = this.path): Promise<void> {
    return this.send("opened", { path });
  }

  chat(text: string, path = this.path): Promise<void> {
    return this.send("chat", { path, text, attachments: [], store: true });
  }

  cancel(path = this.path): Promise<void> {
    return this.send("cancel", { path });
  }

  /** The agent's current status text for this thread, as this browser sees it. */
  statusText(path = this.path): unknown {
    return this.agent()?.getAttribute(statusAttributes(path).text) ?? null;
  }

  async nextChat(after: number, what: string, timeoutMs = 3000): Promise<SeenChat> {
    await waitFor(() => this.chats.length > after, what, timeoutMs);
    return this.chats[after];
  }
}

export async function joinBrowser(h: Harness, name: string, room: string, agentName: string): Promise<Browser> {
  const client = await h.join(name, { room });
  return new Browser(client, name, agentName);
}

export interface SentChat {
  to: string;
  path: string;
  text: string;
}

/**
 * The handler's RoomPort without a room, for unit tests of message handling:
 * a fixed set of peers, and a record of what the agent sent and set.
 */
export class RecordingPort implements RoomPort {
  readonly sent: SentChat[] = [];
  readonly attributeUpdates: Record<string, string | null>[] = [];
  readonly attributes: Record<string, string | null> = {};
  readonly people = new Map<string, Peer>();

  constructor(peers: Peer[] = []) {
    for (const peer of peers) this.people.set(peer.id, peer);
  }

  peer(id: string): Peer | null {
    return this.people.get(id) ?? null;
  }

  peers(): Peer[] {
    return [...this.people.values()];
  }

  async send(toId: string, message: { path: string; text: string }): Promise<void> {
    this.sent.push({ to: toId, ...message });
  }

  async setAttributes(attributes: Record<string, string | null>): Promise<void> {
    this.attributeUpdates.push({ ...attributes });
    Object.assign(this.attributes, attributes);
  }
}
