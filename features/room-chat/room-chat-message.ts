import * as z from "zod/mini";
import { attachmentList } from "@/features/room-files/attachment";
import { defineRoomMessage } from "@/lib/room/room-message";

export const CHAT_MAX_LENGTH = 2000;

/**
 * Room chat on the wire: MeshAgent's room-chat message type, so this page and
 * MeshAgent's own room chat understand each other. `chat` is deliberately not
 * used: MeshAgent agents read every `chat` as a message to them.
 * `attachments` (optional) are files in the room's storage
 * (features/room-files); a message needs text, attachments, or both.
 */
export const roomChatMessage = defineRoomMessage(
  "meshagent.room-chat.message",
  z
    .object({
      text: z.pipe(
        z.string(),
        z.transform((text) => text.trim().slice(0, CHAT_MAX_LENGTH)),
      ),
      id: z.catch(z.optional(z.string().check(z.maxLength(64))), undefined),
      attachments: attachmentList,
    })
    .check(z.refine((message) => message.text.length > 0 || message.attachments !== undefined)),
);
