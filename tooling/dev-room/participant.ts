// A participant is one accepted socket in one room: identity from the token,
// attributes it sets, whether it has messaging enabled, and its outbound queue.

import { randomUUID } from "node:crypto";
import { packMessage, type JsonObject } from "./framing";
import type { MessageSink } from "./socket-writer";
import type { MessagingPermissions } from "./token";
import { errorContent, type ErrorCodeValue } from "./content";

export type ParticipantRecord = {
  id: string;
  role: string;
  attributes: JsonObject;
};

export class Participant {
  /** Distinct per socket, even when the same identity connects twice. */
  readonly id = randomUUID();
  readonly attributes: JsonObject;
  messagingEnabled = false;
  /** Cleared when the participant leaves, so late input from its socket is ignored. */
  active = true;
  // Server pushes use their own id space, independent of the client's request ids.
  private nextPushId = 0;

  constructor(
    readonly name: string,
    readonly role: string,
    readonly room: string,
    readonly messaging: MessagingPermissions | null,
    private readonly sink: MessageSink,
  ) {
    this.attributes = { name };
  }

  record(): ParticipantRecord {
    return { id: this.id, role: this.role, attributes: { ...this.attributes } };
  }

  /** Returns the push's message id (a toolkit host answers a tool call under it), or -1 once inactive. */
  push(type: string, header: JsonObject, payload?: Uint8Array): number {
    return this.active ? this.pushPacked(type, packMessage(header, payload)) : -1;
  }

  /** A push whose body was packed once for many recipients (broadcast fan-out). */
  pushPacked(type: string, data: Uint8Array): number {
    if (!this.active) return -1;
    const id = this.nextPushId++;
    this.sink.write({ id, type, data });
    return id;
  }

  /** A `messaging.send` push, the envelope for both user messages and presence events. */
  pushMessaging(fromParticipantId: string, type: string, message: JsonObject, attachment?: Uint8Array): void {
    this.push("messaging.send", { from_participant_id: fromParticipantId, type, message }, attachment);
  }

  respond(requestId: number, content: JsonObject, payload?: Uint8Array): void {
    if (!this.active) return;
    this.sink.write({ id: requestId, type: "__response__", data: packMessage(content, payload) });
  }

  /** A response whose body is already packed (a toolkit host's answer, relayed). */
  respondPacked(requestId: number, data: Uint8Array): void {
    if (this.active) this.sink.write({ id: requestId, type: "__response__", data });
  }

  respondError(requestId: number, text: string, code: ErrorCodeValue): void {
    this.respond(requestId, errorContent(text, code));
  }
}
