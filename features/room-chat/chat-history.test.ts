import * as z from "zod/mini";
import { describe, expect, it } from "vitest";
import { CHAT_HISTORY_LIMIT, chatReducer, createChatHistory, type ChatLine } from "@/features/room-chat/chat-history";
import { CHAT_MAX_LENGTH, roomChatMessage } from "@/features/room-chat/room-chat-message";

const line = (id: string, overrides: Partial<ChatLine> = {}): ChatLine => ({
  id,
  fromId: "p1",
  fromName: "Ada",
  text: `text ${id}`,
  at: 0,
  own: false,
  status: "received",
  ...overrides,
});

describe("chatReducer", () => {
  it("appends in order and ignores a duplicate delivery of the same message", () => {
    let state = chatReducer([], { type: "add", line: line("a") });
    state = chatReducer(state, { type: "add", line: line("b") });
    state = chatReducer(state, { type: "add", line: line("a") });
    expect(state.map((m) => m.id)).toEqual(["a", "b"]);
  });

  it("updates the status of own messages only", () => {
    const state = [line("x", { own: true, status: "sending", fromId: "self" }), line("x")];
    const next = chatReducer(state, { type: "status", id: "x", status: "failed", error: "Not sent" });
    expect(next[0]).toMatchObject({ status: "failed", error: "Not sent" });
    expect(next[1].status).toBe("received");
  });

  it("keeps at most CHAT_HISTORY_LIMIT messages, dropping the oldest", () => {
    const history = createChatHistory();
    for (let i = 0; i < CHAT_HISTORY_LIMIT + 5; i++) history.getState().dispatch({ type: "add", line: line(`m${i}`) });
    expect(history.getState().lines).toHaveLength(CHAT_HISTORY_LIMIT);
    expect(history.getState().lines[0].id).toBe("m5");
  });
});

describe("roomChatMessage", () => {
  const parse = (payload: unknown) => z.safeParse(roomChatMessage.schema, payload);

  it("uses MeshAgent's room-chat type, never `chat` (agents read that)", () => {
    expect(roomChatMessage.type).toBe("meshagent.room-chat.message");
  });

  it("accepts { text, id }, trims and caps the text", () => {
    expect(parse({ id: "1", text: " hi " }).data).toEqual({ id: "1", text: "hi" });
    expect(parse({ text: "x".repeat(CHAT_MAX_LENGTH + 10) }).data?.text).toHaveLength(CHAT_MAX_LENGTH);
  });

  it("drops a bad id but keeps the text", () => {
    expect(parse({ id: { toString: 1 }, text: "hi" }).data).toEqual({ text: "hi" });
  });

  it.each([null, "hi", 42, {}, { text: 5 }, { text: "   " }, { text: { toString: 1 } }])("rejects %j", (payload) => {
    expect(parse(payload).success).toBe(false);
  });
});
