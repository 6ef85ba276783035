import { describe, expect, it } from "vitest";
import { buildAgentEvent, buildClientRequest, newMessageId, shortType } from "./build";
import { inputText, roomPathFromUrl, roomUrl } from "./content";
import { TURN_LIMITS } from "./limits";
import { parseAgentEvent, parseClientRequest, parseTurnMessage, unwrapPayload } from "./parse";
import { SPEC_AGENT_EVENTS, SPEC_CLIENT_REQUESTS, SPEC_THREAD_ID } from "./spec-exchange.fixture";

const T = SPEC_THREAD_ID;

describe("the spec's recorded exchange (§1.8)", () => {
  it("parses every agent event, bare and in the {payload} envelope, keeping type and ids", () => {
    for (const raw of SPEC_AGENT_EVENTS) {
      for (const wire of [raw, { payload: raw }]) {
        const parsed = parseAgentEvent(wire);
        expect(parsed, String(raw.type)).not.toBeNull();
        expect(parsed!.type).toBe(raw.type);
        expect(parsed!.message_id).toBe(raw.message_id);
      }
      // an agent event is not a client request
      expect(parseClientRequest(raw)).toBeNull();
    }
  });

  it("parses every client request, bare and enveloped", () => {
    for (const raw of SPEC_CLIENT_REQUESTS) {
      expect(parseClientRequest(raw)?.type).toBe(raw.type);
      expect(parseClientRequest({ payload: raw })?.type).toBe(raw.type);
      expect(parseAgentEvent(raw)).toBeNull();
      expect(parseTurnMessage(raw)?.type).toBe(raw.type);
    }
  });

  it("keeps the fields a renderer needs and drops the ones it does not know", () => {
    const delta = parseAgentEvent(SPEC_AGENT_EVENTS.find((e) => e.message_id === "a12"));
    expect(delta).toEqual({
      type: "meshagent.agent.text_content.delta",
      message_id: "a12",
      thread_id: T,
      turn_id: "t1",
      item_id: "msg_1",
      text: "It is 11:00 in ",
      phase: "final_answer",
    });
    const pending = parseAgentEvent(SPEC_AGENT_EVENTS.find((e) => e.message_id === "a7"));
    expect(pending).not.toHaveProperty("provider");
    const accepted = parseAgentEvent(SPEC_AGENT_EVENTS.find((e) => e.message_id === "a4"));
    expect(accepted?.type === "meshagent.agent.turn.start.accepted" && inputText(accepted.content ?? [])).toBe(
      "What time is it for me? See attached. [notes.pdf]",
    );
    const ended = parseAgentEvent(SPEC_AGENT_EVENTS.find((e) => e.message_id === "a20"));
    expect(ended).toMatchObject({ error: { message: "turn cancelled", code: "cancelled" } });
    const idle = parseAgentEvent(SPEC_AGENT_EVENTS.find((e) => e.message_id === "a17"));
    expect(idle?.type === "meshagent.agent.thread.status" && idle.status).toBeUndefined();
  });

  it("reads null as absent, as older agents send it", () => {
    const parsed = parseAgentEvent({
      type: "meshagent.agent.thread.status",
      thread_id: T,
      status: null,
      mode: null,
      turn_id: null,
    });
    expect(parsed).toMatchObject({ type: "meshagent.agent.thread.status", thread_id: T });
    expect(parsed?.type === "meshagent.agent.thread.status" && parsed.status).toBeUndefined();
  });
});

describe("bad input parses to null and never throws", () => {
  const delta = { type: "meshagent.agent.text_content.delta", thread_id: T, turn_id: "t", item_id: "i", text: "x" };

  it.each([
    ["undefined", undefined],
    ["null", null],
    ["a string", "meshagent.agent.turn.ended"],
    ["an array", [delta]],
    ["an unknown type", { ...delta, type: "meshagent.agent.text_content.explode" }],
    ["a legacy chat message", { path: ".threads/a/b.thread", text: "hi" }],
    ["a non-string type", { ...delta, type: 7 }],
    ["a missing item_id", { ...delta, item_id: undefined }],
    ["an empty turn_id", { ...delta, turn_id: "" }],
    ["a numeric text", { ...delta, text: 5 }],
    ["a bad phase", { ...delta, phase: "whisper" }],
    ["an envelope around garbage", { payload: { type: "nope" } }],
    ["an envelope around a string", { payload: "x" }],
  ])("%s", (_label, raw) => {
    expect(parseAgentEvent(raw)).toBeNull();
    expect(parseClientRequest(raw)).toBeNull();
    expect(parseTurnMessage(raw)).toBeNull();
  });

  it("survives objects whose getters throw", () => {
    const hostile = new Proxy(
      {},
      {
        get() {
          throw new Error("boom");
        },
        has() {
          throw new Error("boom");
        },
      },
    );
    expect(parseAgentEvent(hostile)).toBeNull();
    expect(parseClientRequest({ payload: hostile })).toBeNull();
  });

  it("refuses oversized fields whole", () => {
    expect(parseAgentEvent({ ...delta, text: "x".repeat(TURN_LIMITS.deltaText) })).not.toBeNull();
    expect(parseAgentEvent({ ...delta, text: "x".repeat(TURN_LIMITS.deltaText + 1) })).toBeNull();
    expect(parseAgentEvent({ ...delta, item_id: "i".repeat(TURN_LIMITS.id + 1) })).toBeNull();
    expect(parseAgentEvent({ ...delta, thread_id: "t".repeat(TURN_LIMITS.threadId + 1) })).toBeNull();

    const entry = { path: T, name: "n", created_at: "", modified_at: "" };
    const listed = (n: number) => ({
      type: "meshagent.agent.thread.listed",
      source_message_id: "c",
      threads: Array.from({ length: n }, (_, i) => ({ ...entry, path: `${T}/${i}` })),
      total: n,
    });
    expect(parseAgentEvent(listed(TURN_LIMITS.threadsListed))).not.toBeNull();
    expect(parseAgentEvent(listed(100_000))).toBeNull();

    const turnStart = (text: string, items = 1) => ({
      type: "meshagent.agent.turn.start",
      thread_id: T,
      content: Array.from({ length: items }, () => ({ type: "text", text })),
    });
    expect(parseClientRequest(turnStart("hi"))).not.toBeNull();
    expect(parseClientRequest(turnStart("x".repeat(TURN_LIMITS.inputText + 1)))).toBeNull();
    expect(parseClientRequest(turnStart("hi", TURN_LIMITS.contentItems + 1))).toBeNull();

    const logs = (n: number) => ({
      type: "meshagent.agent.tool_call.log_delta",
      thread_id: T,
      turn_id: "t",
      item_id: "i",
      lines: Array.from({ length: n }, () => ({ source: "stdout", text: "line" })),
    });
    expect(parseAgentEvent(logs(TURN_LIMITS.logLines))).not.toBeNull();
    expect(parseAgentEvent(logs(TURN_LIMITS.logLines + 1))).toBeNull();

    const args = { blob: "x".repeat(TURN_LIMITS.json) };
    expect(
      parseAgentEvent({
        type: "meshagent.agent.tool_call.started",
        thread_id: T,
        turn_id: "t",
        item_id: "i",
        toolkit: "k",
        tool: "t",
        arguments: args,
      }),
    ).toBeNull();
  });

  it("keeps a tool_call.ended whose result it cannot show, as 'unsupported'", () => {
    const ended = (result: unknown) =>
      parseAgentEvent({
        type: "meshagent.agent.tool_call.ended",
        thread_id: T,
        turn_id: "t",
        item_id: "i",
        result,
      });
    expect(ended({ type: "json", json: { a: [1, 2] } })).toMatchObject({
      result: { type: "json", json: { a: [1, 2] } },
    });
    expect(ended({ type: "error", text: "no", code: 404 })).toMatchObject({ result: { type: "error", code: 404 } });
    expect(ended({ type: "binary", data: "…" })).toMatchObject({ result: { type: "unsupported" } });
    expect(ended({ type: "text", text: "x".repeat(TURN_LIMITS.resultText + 1) })).toMatchObject({
      result: { type: "unsupported" },
    });
  });

  it("refuses a client tool response that is not MeshAgent Content", () => {
    const response = (value: unknown) => ({
      type: "meshagent.agent.client_tool_call.response",
      thread_id: T,
      turn_id: "t",
      request_id: "r",
      response: value,
    });
    expect(parseClientRequest(response({ type: "empty" }))).not.toBeNull();
    expect(parseClientRequest(response({ type: "json", json: { ok: true } }))).not.toBeNull();
    expect(parseClientRequest(response({ type: "binary" }))).toBeNull();
    expect(parseClientRequest(response("ok"))).toBeNull();
  });

  it("clamps thread.list paging as MeshAgent does, by refusing out-of-range values", () => {
    const list = (limit: unknown) => ({ type: "meshagent.agent.thread.list", limit, offset: 0 });
    expect(parseClientRequest(list(200))).not.toBeNull();
    expect(parseClientRequest(list(0))).toBeNull();
    expect(parseClientRequest(list(201))).toBeNull();
    expect(parseClientRequest(list(1.5))).toBeNull();
  });
});

describe("envelopes", () => {
  it("prefers the bare payload when a message has both", () => {
    const bare = { type: "meshagent.agent.thread.watch", payload: { type: "meshagent.agent.thread.unwatch" } };
    expect(parseClientRequest(bare)?.type).toBe("meshagent.agent.thread.watch");
    expect(unwrapPayload({ payload: { type: "x" } })).toEqual({ type: "x" });
    expect(unwrapPayload(5)).toBe(5);
  });
});

describe("builders", () => {
  it("fill a fresh message_id unless given one, drop undefined fields, and round-trip through the parser", () => {
    const a = buildClientRequest("meshagent.agent.turn.start", {
      thread_id: T,
      content: [{ type: "text", text: "hi" }],
      client_toolkits: undefined,
    });
    const b = buildClientRequest("meshagent.agent.turn.start", { thread_id: T, content: [] });
    expect(a.message_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(a.message_id).not.toBe(b.message_id);
    expect(a).not.toHaveProperty("client_toolkits");
    expect(parseClientRequest(a)).toEqual(a);

    const c = buildClientRequest("meshagent.agent.thread.watch", { message_id: "mine" });
    expect(c).toEqual({ type: "meshagent.agent.thread.watch", message_id: "mine" });

    const e = buildAgentEvent("meshagent.agent.turn.ended", { thread_id: T, turn_id: "t" });
    expect(parseAgentEvent(e)).toEqual(e);
    expect(shortType(e.type)).toBe("turn.ended");
  });

  it("makes uuid-shaped ids without randomUUID (non-secure contexts)", () => {
    const original = globalThis.crypto.randomUUID;
    try {
      Object.defineProperty(globalThis.crypto, "randomUUID", { value: undefined, configurable: true });
      expect(newMessageId()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    } finally {
      Object.defineProperty(globalThis.crypto, "randomUUID", { value: original, configurable: true });
    }
  });
});

describe("room file urls", () => {
  it.each([
    ["room:///files/notes.pdf", "files/notes.pdf"],
    ["room:///uploaded-files/a b.txt", "uploaded-files/a b.txt"],
    ["room:///", null],
    ["room:///files/../secret", null],
    ["room:///files//x", null],
    ["room:///files/./x", null],
    ["room:///files/x\u0000", null],
    ["room:///files\\x", null],
    ["https://example.com/x", null],
    ["javascript:alert(1)", null],
  ])("%s", (url, path) => {
    expect(roomPathFromUrl(url)).toBe(path);
  });

  it("round-trips a path", () => {
    expect(roomPathFromUrl(roomUrl("files/a.txt"))).toBe("files/a.txt");
    expect(roomUrl("/files/a.txt")).toBe("room:///files/a.txt");
  });
});
