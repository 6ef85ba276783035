import * as z from "zod/mini";
import {
  CHATBOT_THREAD_PATH,
  EMPTY_STATE_TITLE,
  SUPPORTS_AGENT_MESSAGES,
  SUPPORTS_CHAT,
} from "@/lib/shared/agent-turn/attributes";
import { TURN_LIMITS } from "@/lib/shared/agent-turn/limits";
import { readAttribute, type RoomParticipant } from "@/lib/room/roster";

/**
 * How to talk to an agent, from what it advertises (spec §1.6): the turn
 * protocol when it says `supports_agent_messages: true`, else the legacy
 * chatbot contract, as MeshAgent's Flutter client decides. Attribute values
 * come from the agent: each is parsed, and a bad one counts as absent.
 */
export interface AgentKind {
  protocol: "turn" | "legacy";
  /** A single-thread agent's one thread; null for agents with a thread list. */
  threadPath: string | null;
  /** What an empty thread says; null for the default. */
  emptyStateTitle: string | null;
  /** `supports_chat: false`: not a chat agent, not listed in the tab. */
  hidden: boolean;
}

const flag = z.union([z.boolean(), z.enum(["true", "false"])]);
const isTrue = (value: boolean | "true" | "false" | undefined) => value === true || value === "true";
const isFalse = (value: boolean | "true" | "false" | undefined) => value === false || value === "false";
const threadPath = z.string().check(z.minLength(1), z.maxLength(TURN_LIMITS.threadId));
const title = z.pipe(
  z.string().check(z.maxLength(2000)),
  z.transform((text) => text.replace(/\s+/g, " ").trim().slice(0, 120)),
);

export function agentKind(agent: RoomParticipant): AgentKind {
  return {
    protocol: isTrue(readAttribute(agent, SUPPORTS_AGENT_MESSAGES, flag)) ? "turn" : "legacy",
    threadPath: readAttribute(agent, CHATBOT_THREAD_PATH, threadPath) ?? null,
    emptyStateTitle: readAttribute(agent, EMPTY_STATE_TITLE, title) || null,
    hidden: isFalse(readAttribute(agent, SUPPORTS_CHAT, flag)),
  };
}
