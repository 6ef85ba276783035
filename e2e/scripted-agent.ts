import { packMessage, type RoomClient } from "@meshagent/meshagent";
import { signAgentToken } from "../agent/token";
import { ROOM_SECRET } from "./env";
import { ROOM_URL, joinWithSdk, type SeenMessage } from "./sdk-client";

/**
 * An agent that is not the demo agent: a few lines on the real SDK that speak
 * MeshAgent's chatbot contract, to prove the page works with any such agent.
 * It greets on `opened`, shows a status while it "works" for `workMs`, then
 * echoes; on `cancel` it clears the status and sends nothing.
 */
export class ScriptedAgent {
  client!: RoomClient;
  seen: SeenMessage[] = [];
  private working = new Map<string, () => void>();

  constructor(
    readonly room: string,
    readonly name: string,
    readonly workMs = 1500,
  ) {}

  async join(): Promise<void> {
    const jwt = await signAgentToken({
      target: { where: "local-dev-room", apiUrl: ROOM_URL, secret: ROOM_SECRET! },
      room: this.room,
      agentName: this.name,
    });
    const { client, seen } = await joinWithSdk(this.room, jwt, (message) => this.onMessage(message).catch(() => {}));
    this.client = client;
    this.seen = seen;
  }

  leave(): void {
    this.client.dispose();
  }

  received(type: string): SeenMessage[] {
    return this.seen.filter((message) => message.type === type);
  }

  /** Sends a chat straight to a participant, bypassing the contract (for hostile-agent checks). */
  async sendRaw(toId: string, message: Record<string, unknown>): Promise<void> {
    const to = this.client.messaging.getParticipant(toId);
    if (to) await this.client.messaging.sendMessage({ to, type: "chat", message });
  }

  private async onMessage({ fromId, type, message }: SeenMessage): Promise<void> {
    const path = typeof message.path === "string" ? message.path : null;
    if (!path) return;
    if (type === "opened") await this.sendRaw(fromId, { path, text: `Hello from ${this.name}` });
    if (type === "cancel") this.working.get(path)?.();
    if (type !== "chat" || typeof message.text !== "string") return;
    const keys = ["text", "mode", "started_at"].map((key) => `thread.status.${key}.${path}`);
    await this.setAttributes({ [keys[0]]: "Pondering", [keys[1]]: "steerable", [keys[2]]: new Date().toISOString() });
    const cancelled = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), this.workMs);
      this.working.set(path, () => {
        clearTimeout(timer);
        resolve(true);
      });
    });
    this.working.delete(path);
    if (!cancelled) await this.sendRaw(fromId, { path, text: `echo: ${message.text}` });
    await this.setAttributes({ [keys[0]]: null, [keys[1]]: null, [keys[2]]: null });
  }

  private async setAttributes(attributes: Record<string, string | null>): Promise<void> {
    await this.client.protocol.send("set_attributes", packMessage(attributes));
  }
}
