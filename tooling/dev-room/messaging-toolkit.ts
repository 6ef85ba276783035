// The `messaging` toolkit (enable / disable / send / broadcast) as invoked via
// `room.invoke_tool`, plus the presence events it fans out.

import { packMessage, type JsonObject } from "./framing";
import type { Participant } from "./participant";
import { RESERVED_MESSAGE_TYPE_PREFIXES, isReservedMessageType } from "./room-limits";
import { ErrorCode, PARTICIPANT_NOT_FOUND, RequestError, emptyContent } from "./content";

export const MESSAGING_TOOLKIT = "messaging";

export interface RoomMembers {
  participants(): Iterable<Participant>;
  find(id: string): Participant | undefined;
}

export type Reply = (content: JsonObject) => void;

/** Presence events go only to other participants that have messaging enabled. */
export function notifyEnabledPeers(members: RoomMembers, source: Participant, type: string, message: JsonObject): void {
  // Packed once for all peers: a join storm fans out n² of these (D17).
  let data: Uint8Array | undefined;
  for (const peer of members.participants()) {
    if (peer !== source && peer.messagingEnabled) {
      data ??= packMessage({ from_participant_id: source.id, type, message });
      peer.pushPacked("messaging.send", data);
    }
  }
}

type Tool = (members: RoomMembers, caller: Participant, args: JsonObject, reply: Reply) => void;

const tools: Record<string, Tool> = {
  enable(members, caller, _args, reply) {
    const wasEnabled = caller.messagingEnabled;
    caller.messagingEnabled = true;
    const others = [...members.participants()].filter((p) => p !== caller && p.messagingEnabled);
    // Snapshot before the response: remoteParticipants is filled when enable() resolves.
    caller.pushMessaging(caller.id, "messaging.enabled", { participants: others.map((p) => p.record()) });
    reply(emptyContent());
    if (!wasEnabled) notifyEnabledPeers(members, caller, "participant.enabled", caller.record());
  },

  disable(members, caller, _args, reply) {
    const wasEnabled = caller.messagingEnabled;
    caller.messagingEnabled = false;
    reply(emptyContent());
    if (wasEnabled) notifyEnabledPeers(members, caller, "participant.disabled", { id: caller.id });
  },

  send(members, caller, args, reply) {
    const to = args.to_participant_id;
    if (typeof to !== "string") throw invalid("to_participant_id must be a string");
    const { type, message, attachment } = readMessageArgs(args);
    const target = members.find(to);
    if (target === undefined || !target.messagingEnabled) {
      throw new RequestError(PARTICIPANT_NOT_FOUND, ErrorCode.NOT_FOUND);
    }
    target.pushMessaging(caller.id, type, message, attachment);
    reply(emptyContent());
  },

  broadcast(members, caller, args, reply) {
    const { type, message, attachment } = readMessageArgs(args);
    // Same body for every recipient: pack it once.
    const data = packMessage({ from_participant_id: caller.id, type, message }, attachment);
    for (const peer of members.participants()) {
      if (peer !== caller && peer.messagingEnabled) peer.pushPacked("messaging.send", data);
    }
    reply(emptyContent());
  },
};

function invalid(text: string): RequestError {
  return new RequestError(`invalid arguments: ${text}`, ErrorCode.INVALID_REQUEST);
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function readMessageArgs(args: JsonObject): { type: string; message: JsonObject; attachment?: Uint8Array } {
  const { type, message_json: messageJson, attachment_base64: attachmentBase64 } = args;
  if (typeof type !== "string" || type.length === 0) throw invalid("type must be a non-empty string");
  // Presence and attribute events drive every client's participant list; only the server may emit them (D5).
  if (isReservedMessageType(type)) {
    throw new RequestError(
      `permission denied: message type "${type}" is reserved for the room server (${RESERVED_MESSAGE_TYPE_PREFIXES.map((p) => `${p}*`).join(", ")})`,
      ErrorCode.PERMISSION_DENIED,
    );
  }
  if (typeof messageJson !== "string") throw invalid("message_json must be a string");
  let message: unknown;
  try {
    message = JSON.parse(messageJson);
  } catch {
    throw invalid("message_json is not valid JSON");
  }
  if (typeof message !== "object" || message === null || Array.isArray(message)) {
    throw invalid("message_json must encode a JSON object");
  }
  if (attachmentBase64 === undefined || attachmentBase64 === null) return { type, message: message as JsonObject };
  if (typeof attachmentBase64 !== "string" || !BASE64.test(attachmentBase64)) {
    throw invalid("attachment_base64 must be standard base64");
  }
  return { type, message: message as JsonObject, attachment: new Uint8Array(Buffer.from(attachmentBase64, "base64")) };
}

function checkPermission(caller: Participant, tool: string): void {
  const grant = caller.messaging;
  const allowed = grant !== null && (tool === "send" ? grant.send : tool === "broadcast" ? grant.broadcast : true);
  if (!allowed) {
    throw new RequestError(
      `permission denied: the token does not grant messaging.${tool}`,
      ErrorCode.PERMISSION_DENIED,
    );
  }
}

/** Runs one messaging tool; a RequestError thrown before `reply` becomes the error response. */
export function invokeMessagingTool(
  members: RoomMembers,
  caller: Participant,
  tool: string,
  args: JsonObject,
  reply: Reply,
): void {
  const run = Object.hasOwn(tools, tool) ? tools[tool] : undefined;
  if (run === undefined) throw new RequestError(`tool not found: ${MESSAGING_TOOLKIT}.${tool}`, ErrorCode.NOT_FOUND);
  checkPermission(caller, tool);
  run(members, caller, args, reply);
}
