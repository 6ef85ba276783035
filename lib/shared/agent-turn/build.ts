// Outgoing messages: typed, with a message_id the sender chooses, so the
// acknowledgement (`source_message_id`) can be matched to the request.

import type { AgentEvent, AgentEventType, ClientRequest, ClientRequestType } from "./messages";
import { AGENT_MESSAGE_TYPE_PREFIX } from "./messages";

type Fields<M> = Omit<M, "type" | "message_id"> & { message_id?: string };
type Built<M> = M & { message_id: string };

/** A fresh message id (uuid v4). Falls back to getRandomValues outside secure contexts. */
export function newMessageId(): string {
  const cryptoApi = globalThis.crypto;
  if (typeof cryptoApi.randomUUID === "function") return cryptoApi.randomUUID();
  const bytes = cryptoApi.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Drops undefined fields: they would be sent as nothing anyway, and stored copies stay small. */
function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

function build<M>(type: string, fields: Fields<M>): Built<M> {
  return compact({ ...fields, type, message_id: fields.message_id ?? newMessageId() }) as unknown as Built<M>;
}

/**
 * A client → agent request, e.g.
 * `buildClientRequest("meshagent.agent.turn.start", {thread_id, content})`.
 */
export function buildClientRequest<K extends ClientRequestType>(
  type: K,
  fields: Fields<Extract<ClientRequest, { type: K }>>,
): Built<Extract<ClientRequest, { type: K }>> {
  return build<Extract<ClientRequest, { type: K }>>(type, fields);
}

/** An agent → client event. */
export function buildAgentEvent<K extends AgentEventType>(
  type: K,
  fields: Fields<Extract<AgentEvent, { type: K }>>,
): Built<Extract<AgentEvent, { type: K }>> {
  return build<Extract<AgentEvent, { type: K }>>(type, fields);
}

/** `"turn.ended"` for `"meshagent.agent.turn.ended"`: for logs and switch labels. */
export function shortType(type: string): string {
  return type.startsWith(AGENT_MESSAGE_TYPE_PREFIX) ? type.slice(AGENT_MESSAGE_TYPE_PREFIX.length) : type;
}
