import { describe, expect, it } from "vitest";
import { CHAT_HISTORY_LIMIT, CHAT_MAX_LENGTH, chatReducer, parseChatPayload, type ChatMessage } from "@/lib/chat";

const message = (id: string, overrides: Partial<ChatMessage> = {}): ChatMessage => ({
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
    let state = chatReducer([], { type: "add", message: message("a") });
    state = chatReducer(state, { type: "add", message: message("b") });
    state = chatReducer(state, { type: "add", message: message("a") });
    expect(state.map((m) => m.id)).toEqual(["a", "b"]);
  });

  it("updates the status of own messages only", () => {
    const state = [message("x", { own: true, status: "sending", fromId: "self" }), message("x")];
    const next = chatReducer(state, { type: "status", id: "x", status: "failed", error: "Not sent" });
    expect(next[0]).toMatchObject({ status: "failed", error: "Not sent" });
    expect(next[1].status).toBe("received");
  });

  it("keeps at most CHAT_HISTORY_LIMIT messages, dropping the oldest", () => {
    let state: ChatMessage[] = [];
    for (let i = 0; i < CHAT_HISTORY_LIMIT + 5; i++)
      state = chatReducer(state, { type: "add", message: message(`m${i}`) });
    expect(state).toHaveLength(CHAT_HISTORY_LIMIT);
    expect(state[0].id).toBe("m5");
  });
});

describe("parseChatPayload", () => {
  it("accepts { id, text } and caps the text", () => {
    expect(parseChatPayload({ id: "1", text: "hi" })).toEqual({ id: "1", text: "hi" });
    expect(parseChatPayload({ text: "x".repeat(CHAT_MAX_LENGTH + 10) })?.text).toHaveLength(CHAT_MAX_LENGTH);
  });

  it.each([null, "hi", 42, {}, { text: 5 }, { text: "   " }])("rejects %j", (payload) => {
    expect(parseChatPayload(payload)).toBeNull();
  });
});
