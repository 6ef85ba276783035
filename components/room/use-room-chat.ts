"use client";

import type { RoomClient, RoomMessageEvent } from "@meshagent/meshagent";
import { useCallback, useEffect, type Dispatch } from "react";
import { CHAT_MAX_LENGTH, CHAT_MESSAGE_TYPE, parseChatPayload, type ChatAction } from "@/lib/chat";

const NOT_CONNECTED = "Not sent: you were disconnected from the room.";

/**
 * Receive chat messages from `client` into the page's history, and send new
 * ones. The history itself lives above this hook so it survives reconnects.
 * A message written while disconnected is kept and marked as not sent.
 */
export function useRoomChat(client: RoomClient | null, userName: string, dispatch: Dispatch<ChatAction>) {
  useEffect(() => {
    if (!client) return;
    const onMessage = (event: RoomMessageEvent) => {
      const { message } = event;
      if (message.type !== CHAT_MESSAGE_TYPE) return;
      if (message.fromParticipantId === client.localParticipant?.id) return;
      const payload = parseChatPayload(message.message);
      if (!payload) return;
      const sender = client.messaging.getParticipant(message.fromParticipantId);
      dispatch({
        type: "add",
        message: {
          id: payload.id ?? crypto.randomUUID(),
          fromId: message.fromParticipantId,
          fromName: String(sender?.getAttribute("name") ?? "Someone"),
          text: payload.text,
          at: Date.now(),
          own: false,
          status: "received",
        },
      });
    };
    client.messaging.on("message", onMessage);
    return () => client.messaging.off("message", onMessage);
  }, [client, dispatch]);

  return useCallback(
    (text: string) => {
      const trimmed = text.trim().slice(0, CHAT_MAX_LENGTH);
      if (!trimmed) return;
      const id = crypto.randomUUID();
      dispatch({
        type: "add",
        message: {
          id,
          fromId: "self",
          fromName: userName,
          text: trimmed,
          at: Date.now(),
          own: true,
          status: client ? "sending" : "failed",
          error: client ? undefined : NOT_CONNECTED,
        },
      });
      if (!client) return;
      client.messaging
        .broadcastMessage({ type: CHAT_MESSAGE_TYPE, message: { id, text: trimmed } })
        .then(() => dispatch({ type: "status", id, status: "sent" }))
        .catch(() => dispatch({ type: "status", id, status: "failed", error: NOT_CONNECTED }));
    },
    [client, userName, dispatch],
  );
}
