import * as z from "zod/mini";
import { defineRoomMessage } from "@/lib/room/room-message";

/**
 * MeshAgent's chatbot contract over direct room messages (0.35.x). Outgoing
 * kinds are checked before sending; the incoming one is parsed at the edge,
 * and anything that does not fit is dropped by useRoomMessage.
 */

/** What a user may send in one message (the demo agent refuses longer ones). */
export const AGENT_CHAT_MAX_LENGTH = 4000;
/** Longest agent reply shown; longer ones are not believable and are ignored. */
export const AGENT_REPLY_MAX_LENGTH = 20_000;
const MAX_PATH_LENGTH = 512;

const path = z.string().check(z.minLength(1), z.maxLength(MAX_PATH_LENGTH));

export const openedMessage = defineRoomMessage("opened", z.object({ path }));
export const typingMessage = defineRoomMessage("typing", z.object({ path }));
export const cancelMessage = defineRoomMessage("cancel", z.object({ path }));

/** Browser -> agent: `store: true` asks the agent to keep it in the thread's history. */
export const chatToAgent = defineRoomMessage(
  "chat",
  z.object({
    path,
    text: z.string().check(z.trim(), z.minLength(1), z.maxLength(AGENT_CHAT_MAX_LENGTH)),
    attachments: z.array(z.never()).check(z.maxLength(0)),
    store: z.literal(true),
  }),
);

/** Agent -> browser: greetings, replies and errors, for the thread at `path`. */
export const chatFromAgent = defineRoomMessage(
  "chat",
  z.object({
    path,
    text: z.string().check(
      z.maxLength(AGENT_REPLY_MAX_LENGTH),
      z.refine((text) => text.trim().length > 0),
    ),
  }),
);

/**
 * Whether an agent's chat belongs on this page: the sender must be in the
 * room as an agent and the path must be our own thread with that agent (an
 * agent cannot write into someone else's thread, or into another agent's).
 */
export function isOwnAgentReply(
  from: { role: string; name: string } | null,
  payloadPath: string,
  ownPath: (agentName: string) => string,
): boolean {
  return from !== null && from.role === "agent" && payloadPath === ownPath(from.name);
}
