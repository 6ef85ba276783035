"use client";

import { useCallback } from "react";
import { useStore } from "zustand";
import { createChatHistory } from "@/features/room-chat/chat-history";
import type { RoomAttachment } from "@/features/room-files/attachment";
import { CHAT_MAX_LENGTH, roomChatMessage } from "@/features/room-chat/room-chat-message";
import { NOT_CONNECTED } from "@/lib/room/delivery";
import { broadcastRoomMessage, useRoomMessage } from "@/lib/room/room-message";
import { useRoom, useRoomStore } from "@/lib/room/use-room";

/**
 * The room's chat: its history (kept by the room, so reconnects and the
 * failure view lose nothing) and a `send` (text, already uploaded files, or
 * both) that shows your message at once and marks it "Not sent" if the room
 * is unreachable.
 */
export function useRoomChat() {
  const { client, user } = useRoom();
  const history = useRoomStore("room-chat", createChatHistory);
  const lines = useStore(history, (state) => state.lines);
  const dispatch = useStore(history, (state) => state.dispatch);

  useRoomMessage(roomChatMessage, ({ fromId, from, payload }) => {
    dispatch({
      type: "add",
      line: {
        id: payload.id ?? crypto.randomUUID(),
        fromId,
        fromName: from?.name ?? "Someone",
        text: payload.text,
        attachments: payload.attachments,
        at: Date.now(),
        own: false,
        status: "received",
      },
    });
  });

  const send = useCallback(
    (text: string, attachments?: RoomAttachment[]) => {
      const trimmed = text.trim().slice(0, CHAT_MAX_LENGTH);
      const files = attachments && attachments.length > 0 ? attachments : undefined;
      if (!trimmed && !files) return;
      const id = crypto.randomUUID();
      dispatch({
        type: "add",
        line: {
          id,
          fromId: "self",
          fromName: user.name,
          text: trimmed,
          attachments: files,
          at: Date.now(),
          own: true,
          status: client ? "sending" : "failed",
          error: client ? undefined : NOT_CONNECTED,
        },
      });
      if (!client) return;
      broadcastRoomMessage(client, roomChatMessage, { id, text: trimmed, attachments: files })
        .then(() => dispatch({ type: "status", id, status: "sent" }))
        .catch(() => dispatch({ type: "status", id, status: "failed", error: NOT_CONNECTED }));
    },
    [client, user.name, dispatch],
  );

  return { lines, send };
}
