"use client";

import type { RoomClient } from "@meshagent/meshagent";
import type { Dispatch } from "react";
import { ChatPanel } from "@/components/room/chat-panel";
import { RetryStatus, type RetryInfo } from "@/components/room/failed-view";
import { ParticipantList } from "@/components/room/participant-list";
import { useParticipants } from "@/components/room/use-participants";
import { useRoomChat } from "@/components/room/use-room-chat";
import { Button } from "@/components/ui/button";
import type { ChatAction, ChatMessage } from "@/lib/chat";

/**
 * The room once joined. `client` is null while reconnecting: the layout and
 * the chat history stay, presence empties, and a banner says what is going on.
 * Add your own room features here (they get the live RoomClient).
 */
export function ConnectedView({
  room,
  userName,
  client,
  reconnecting,
  reconnect,
  onRetryNow,
  messages,
  dispatchChat,
}: {
  room: string;
  userName: string;
  client: RoomClient | null;
  reconnecting: boolean;
  reconnect: RetryInfo | null;
  onRetryNow: () => void;
  messages: ChatMessage[];
  dispatchChat: Dispatch<ChatAction>;
}) {
  const participants = useParticipants(client);
  const send = useRoomChat(client, userName, dispatchChat);

  return (
    <div data-testid="room-connected" data-connection={reconnecting ? "reconnecting" : "live"} className="space-y-4">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h1 className="text-2xl font-semibold tracking-tight">#{room}</h1>
        <span
          className={
            reconnecting
              ? "rounded-full bg-amber-100 px-2.5 py-0.5 text-xs font-medium text-amber-900 dark:bg-amber-950 dark:text-amber-200"
              : "rounded-full bg-emerald-100 px-2.5 py-0.5 text-xs font-medium text-emerald-900 dark:bg-emerald-950 dark:text-emerald-200"
          }
        >
          {reconnecting ? "Reconnecting" : "Connected"}
        </span>
      </div>

      {reconnecting ? (
        <div
          role="status"
          aria-live="polite"
          data-testid="room-reconnecting"
          className="flex flex-wrap items-center justify-between gap-2 rounded-lg border border-amber-300 bg-amber-50 px-4 py-2 text-sm text-amber-900 dark:border-amber-900 dark:bg-amber-950 dark:text-amber-200"
        >
          {reconnect ? <RetryStatus retry={reconnect} /> : <span>Reconnecting…</span>}
          {reconnect ? (
            <Button variant="secondary" onClick={onRetryNow}>
              Retry now
            </Button>
          ) : null}
        </div>
      ) : null}

      <div className="grid gap-4 md:grid-cols-[14rem_1fr]">
        <aside className="rounded-xl border border-zinc-200 bg-white p-4 dark:border-zinc-800 dark:bg-zinc-900">
          <ParticipantList userName={userName} participants={participants} />
        </aside>
        <ChatPanel messages={messages} onSend={send} />
      </div>
    </div>
  );
}
