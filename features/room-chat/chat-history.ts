import { createStore } from "zustand/vanilla";
import type { RoomAttachment } from "@/features/room-files/attachment";
import { withDeliveryStatus, type DeliveryStatus } from "@/lib/room/delivery";

/** Messages kept in memory per room; older ones scroll away. */
export const CHAT_HISTORY_LIMIT = 500;

export interface ChatLine {
  id: string;
  fromId: string;
  fromName: string;
  text: string;
  /** Files in the room's storage sent with the message (features/room-files). */
  attachments?: RoomAttachment[];
  at: number;
  own: boolean;
  status: DeliveryStatus;
  /** Why a message failed, for the person who wrote it. */
  error?: string;
}

export type ChatAction =
  { type: "add"; line: ChatLine } | { type: "status"; id: string; status: DeliveryStatus; error?: string };

/** Kept as a list in arrival order, at most CHAT_HISTORY_LIMIT long; a redelivered message is ignored. */
export function chatReducer(state: readonly ChatLine[], action: ChatAction): readonly ChatLine[] {
  switch (action.type) {
    case "add": {
      if (state.some((line) => line.id === action.line.id && line.fromId === action.line.fromId)) return state;
      const next = [...state, action.line];
      return next.length > CHAT_HISTORY_LIMIT ? next.slice(next.length - CHAT_HISTORY_LIMIT) : next;
    }
    case "status":
      return withDeliveryStatus(state, action.id, action.status, action.error);
  }
}

/** The room's chat history: a room-scoped store, so it outlives reconnects and the failure view. */
export function createChatHistory() {
  return createStore<{ lines: readonly ChatLine[]; dispatch: (action: ChatAction) => void }>((set) => ({
    lines: [],
    dispatch: (action) => set((state) => ({ lines: chatReducer(state.lines, action) })),
  }));
}
