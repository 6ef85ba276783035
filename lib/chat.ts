/** Chat over room messaging: a `chat` message type with `{ id, text }`, broadcast to the room. */
export const CHAT_MESSAGE_TYPE = "chat";
export const CHAT_MAX_LENGTH = 2000;
/** Messages kept in memory per room view; older ones scroll away. */
export const CHAT_HISTORY_LIMIT = 500;

export type ChatStatus = "sending" | "sent" | "failed" | "received";

export interface ChatMessage {
  id: string;
  fromId: string;
  fromName: string;
  text: string;
  at: number;
  own: boolean;
  status: ChatStatus;
  /** Why a message failed, for the person who wrote it. */
  error?: string;
}

export type ChatAction =
  { type: "add"; message: ChatMessage } | { type: "status"; id: string; status: ChatStatus; error?: string };

/** Kept as a list in arrival order, at most CHAT_HISTORY_LIMIT long. */
export function chatReducer(state: ChatMessage[], action: ChatAction): ChatMessage[] {
  switch (action.type) {
    case "add": {
      if (state.some((message) => message.id === action.message.id && message.fromId === action.message.fromId)) {
        return state;
      }
      const next = [...state, action.message];
      return next.length > CHAT_HISTORY_LIMIT ? next.slice(next.length - CHAT_HISTORY_LIMIT) : next;
    }
    case "status":
      return state.map((message) =>
        message.own && message.id === action.id ? { ...message, status: action.status, error: action.error } : message,
      );
  }
}

/** Read an incoming chat payload defensively: anything can arrive over the wire. */
export function parseChatPayload(payload: unknown): { id?: string; text: string } | null {
  if (typeof payload !== "object" || payload === null) return null;
  const { id, text } = payload as { id?: unknown; text?: unknown };
  if (typeof text !== "string" || text.trim() === "") return null;
  return { id: typeof id === "string" ? id.slice(0, 64) : undefined, text: text.slice(0, CHAT_MAX_LENGTH) };
}
