import { z } from "zod";
import { defineRoomMessage } from "@/lib/room/room-message";

export const CHAT_MAX_LENGTH = 2000;

/**
 * Room chat on the wire: MeshAgent's room-chat message type, so this page and
 * MeshAgent's own room chat understand each other. `chat` is deliberately not
 * used: MeshAgent agents read every `chat` as a message to them.
 */
export const roomChatMessage = defineRoomMessage(
  "meshagent.room-chat.message",
  z.object({
    text: z
      .string()
      .transform((text) => text.trim().slice(0, CHAT_MAX_LENGTH))
      .refine((text) => text.length > 0),
    id: z.string().max(64).optional().catch(undefined),
  }),
);
