// In-memory rooms: who is in which room, what happens on join and leave, and
// dispatch of the messages a participant sends. A room exists while someone is in it.

import { randomUUID } from "node:crypto";
import { unpackMessage, type JsonObject, type ProtocolMessage } from "./framing";
import { Participant } from "./participant";
import type { MessageSink } from "./socket-writer";
import type { RoomTokenClaims } from "./token";
import { ErrorCode, RequestError, errorContent } from "./content";
import { applyAttributes, decideAttributes } from "./attribute-policy";
import { MESSAGING_TOOLKIT, invokeMessagingTool, notifyEnabledPeers, type RoomMembers } from "./messaging-toolkit";
import type { RoomServices } from "./room-services";
import { TOOLKIT_REQUESTS, TOOL_CALL_RESPONSE, type RoomToolkits } from "./toolkits";

export interface RoomStatsEntry {
  id: string;
  name: string;
  messaging: boolean;
}

class Room implements RoomMembers {
  readonly sessionId = randomUUID();
  readonly members = new Map<string, Participant>();

  constructor(readonly name: string) {}

  participants(): Iterable<Participant> {
    return this.members.values();
  }

  find(id: string): Participant | undefined {
    return this.members.get(id);
  }
}

/** Message types that are not requests: answering them would confuse the client. */
const FIRE_AND_FORGET = new Set(["set_attributes", "__response__", TOOL_CALL_RESPONSE]);

export function expectsResponse(type: string): boolean {
  return !FIRE_AND_FORGET.has(type);
}

// Python clients add this to every header; it is transport metadata, not data.
function withoutMeta(header: JsonObject): JsonObject {
  const { __meshagent__: _meta, ...rest } = header;
  return rest;
}

export class RoomRegistry {
  private readonly rooms = new Map<string, Room>();
  /** Storage and sync; without it those toolkits are "not found". */
  services: RoomServices | null = null;
  /** Participant-hosted toolkits; without it those requests are "unsupported". */
  toolkits: RoomToolkits | null = null;

  constructor(
    private readonly roomUrl: (room: string) => string,
    private readonly log: (line: string) => void = () => {},
  ) {}

  participantsIn(room: string): Iterable<Participant> {
    return this.rooms.get(room)?.members.values() ?? [];
  }

  /** Adds the participant and greets it: `connected` first so localParticipant exists when start() resolves. */
  join(claims: RoomTokenClaims, sink: MessageSink): Participant {
    let room = this.rooms.get(claims.room);
    if (room === undefined) {
      room = new Room(claims.room);
      this.rooms.set(room.name, room);
    }
    const participant = new Participant(claims.name, claims.role, room.name, claims.messaging, sink);
    room.members.set(participant.id, participant);
    this.services?.joined(participant, claims);
    this.toolkits?.joined(participant, claims.agents);
    participant.push("connected", {
      type: "init",
      participantId: participant.id,
      attributes: { ...participant.attributes },
    });
    participant.push("room_ready", {
      room_name: room.name,
      room_url: this.roomUrl(room.name),
      session_id: room.sessionId,
    });
    this.log(`room ${room.name}: ${participant.name} joined as ${participant.id}`);
    return participant;
  }

  /** Idempotent, so every close path can call it. */
  leave(participant: Participant): void {
    if (!participant.active) return;
    participant.active = false;
    this.services?.left(participant);
    this.toolkits?.left(participant);
    const room = this.rooms.get(participant.room);
    if (room === undefined || room.members.get(participant.id) !== participant) return;
    room.members.delete(participant.id);
    if (participant.messagingEnabled) {
      participant.messagingEnabled = false;
      notifyEnabledPeers(room, participant, "participant.disabled", { id: participant.id });
    }
    if (room.members.size === 0) this.rooms.delete(room.name);
    this.log(`room ${room.name}: ${participant.name} (${participant.id}) left`);
  }

  handleMessage(participant: Participant, message: ProtocolMessage): void {
    if (!participant.active) return;
    const room = this.rooms.get(participant.room);
    if (room === undefined) return;
    try {
      switch (message.type) {
        case "set_attributes":
          this.setAttributes(room, participant, message);
          return;
        case "__response__":
          return; // the server never sends requests, so there is nothing to correlate
        case "room.invoke_tool":
          this.invokeTool(room, participant, message);
          return;
        case TOOL_CALL_RESPONSE:
          this.toolkits?.answer(participant, message);
          return;
        case "room.tool_call_request_chunk":
          if (!this.services) throw new RequestError(`unsupported request: ${message.type}`, ErrorCode.NOT_FOUND);
          this.services.requestChunk(participant, message);
          return;
        default:
          if (this.toolkits && TOOLKIT_REQUESTS.has(message.type)) {
            this.toolkits.handle(room, participant, message);
            return;
          }
          throw new RequestError(`unsupported request: ${message.type}`, ErrorCode.NOT_FOUND);
      }
    } catch (error) {
      if (!expectsResponse(message.type)) return;
      if (error instanceof RequestError) {
        participant.respondError(message.id, error.message, error.code);
      } else {
        this.log(`room ${room.name}: internal error handling ${message.type}: ${String(error)}`);
        participant.respondError(message.id, "internal error", ErrorCode.OPERATION_FAILED);
      }
    }
  }

  private setAttributes(room: Room, participant: Participant, message: ProtocolMessage): void {
    const unpacked = unpackMessage(message.data);
    if (!unpacked.ok) {
      this.log(`room ${room.name}: ignored set_attributes from ${participant.id}: ${unpacked.reason}`);
      return;
    }
    const { accepted, refusals } = decideAttributes(participant.attributes, withoutMeta(unpacked.header));
    if (refusals.length > 0) {
      const text = `set_attributes refused: ${refusals.join("; ")}`;
      this.log(`room ${room.name}: ${participant.id}: ${text}`);
      // set_attributes is not a request, but its id is unique on this socket, so an error
      // answer cannot be mistaken for another reply: 0.35.8 logs it as an unexpected response.
      participant.respondError(message.id, text, ErrorCode.PERMISSION_DENIED);
    }
    if (Object.keys(accepted).length === 0) return;
    applyAttributes(participant.attributes, accepted);
    if (participant.messagingEnabled) {
      notifyEnabledPeers(room, participant, "participant.attributes", { attributes: accepted });
    }
  }

  private invokeTool(room: Room, participant: Participant, message: ProtocolMessage): void {
    const unpacked = unpackMessage(message.data);
    if (!unpacked.ok) throw new RequestError(`invalid request: ${unpacked.reason}`, ErrorCode.INVALID_REQUEST);
    const request = withoutMeta(unpacked.header);
    const { toolkit, tool, arguments: args } = request;
    if (typeof toolkit !== "string" || typeof tool !== "string") {
      throw new RequestError("invalid request: toolkit and tool must be strings", ErrorCode.INVALID_REQUEST);
    }
    if (this.services?.handlesToolkit(toolkit)) {
      this.services.invokeTool(participant, message.id, request);
      return;
    }
    if (toolkit !== MESSAGING_TOOLKIT) {
      if (!this.toolkits) throw new RequestError(`toolkit not found: ${toolkit}`, ErrorCode.NOT_FOUND);
      this.toolkits.invoke(room, participant, message.id, request, unpacked.payload);
      return;
    }
    const json = readJsonArguments(args);
    let replied = false;
    try {
      invokeMessagingTool(room, participant, tool, json, (content) => {
        replied = true;
        participant.respond(message.id, content);
      });
    } catch (error) {
      if (!replied) throw error;
      this.log(`room ${room.name}: error after replying to ${toolkit}.${tool}: ${String(error)}`);
    }
    if (!replied) participant.respond(message.id, errorContent("tool did not reply", ErrorCode.OPERATION_FAILED));
  }

  attributeBytes(): number {
    let bytes = 0;
    for (const room of this.rooms.values()) {
      for (const participant of room.members.values())
        bytes += Buffer.byteLength(JSON.stringify(participant.attributes));
    }
    return bytes;
  }

  stats(): Record<string, RoomStatsEntry[]> {
    // fromEntries defines own properties, so a room called "__proto__" is just a key.
    return Object.fromEntries(
      [...this.rooms.values()].map((room) => [
        room.name,
        [...room.members.values()].map((p) => ({ id: p.id, name: p.name, messaging: p.messagingEnabled })),
      ]),
    );
  }
}

// The messaging tools all take JSON content: {"type":"json","json":{...}}.
function readJsonArguments(args: unknown): JsonObject {
  if (typeof args === "object" && args !== null && (args as JsonObject).type === "json") {
    const json = (args as JsonObject).json;
    if (typeof json === "object" && json !== null && !Array.isArray(json)) return json as JsonObject;
  }
  throw new RequestError("invalid arguments: expected json content with an object", ErrorCode.INVALID_REQUEST);
}
