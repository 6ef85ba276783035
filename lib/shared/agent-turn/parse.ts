// The edge: everything that arrives as a room message of type "agent-message"
// goes through one of these before any other code looks at it.

import * as z from "zod/mini";
import {
  agentEventSchema,
  clientRequestSchema,
  type AgentEvent,
  type ClientRequest,
  type TurnMessage,
} from "./messages";

/** The room message type that carries turn-protocol payloads. */
export const AGENT_MESSAGE_ROOM_TYPE = "agent-message";

/**
 * The payload of a room message: HEAD agents send it bare, 0.30–0.39 agents
 * wrap it as `{payload: …}`. Bare wins when a message has both.
 */
export function unwrapPayload(raw: unknown): unknown {
  if (typeof raw !== "object" || raw === null) return raw;
  const record = raw as { type?: unknown; payload?: unknown };
  if (typeof record.type === "string") return raw;
  return typeof record.payload === "object" && record.payload !== null ? record.payload : raw;
}

function safeParse<T>(schema: z.core.$ZodType<T>, raw: unknown): T | null {
  try {
    const result = z.safeParse(schema, unwrapPayload(raw));
    return result.success ? result.data : null;
  } catch {
    // A getter or proxy on a hostile object can throw; that is just bad input.
    return null;
  }
}

/** An agent's event (what the browser renders), or null for anything else. Never throws. */
export function parseAgentEvent(raw: unknown): AgentEvent | null {
  return safeParse(agentEventSchema, raw);
}

/** A client's request (what the agent acts on), or null for anything else. Never throws. */
export function parseClientRequest(raw: unknown): ClientRequest | null {
  return safeParse(clientRequestSchema, raw);
}

/** Either direction (e.g. to log or to store a history); null when it is neither. Never throws. */
export function parseTurnMessage(raw: unknown): TurnMessage | null {
  return parseAgentEvent(raw) ?? parseClientRequest(raw);
}
