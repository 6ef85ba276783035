import * as z from "zod/mini";
import { describe, expect, it } from "vitest";
import {
  AGENT_REPLY_MAX_LENGTH,
  cancelMessage,
  chatFromAgent,
  chatToAgent,
  isOwnAgentReply,
  openedMessage,
  typingMessage,
} from "@/features/agents/agent-messages";
import { agentStatus, statusKeys } from "@/features/agents/agent-status";
import {
  THREAD_LIMIT,
  THREAD_LINE_LIMIT,
  threadsReducer,
  type AgentLine,
  type Threads,
} from "@/features/agents/agent-threads";
import { agentThreadPath, safePathSegment } from "@/lib/shared/agent-thread-path";
import { threadUserOf } from "@/agent/contract";
import type { RoomParticipant } from "@/lib/room/roster";
import { prng } from "@/tooling/testing/prng";

const agent = (attributes: Record<string, unknown>, name = "assistant"): RoomParticipant => ({
  id: "agent-1",
  role: "agent",
  name,
  renamedTo: null,
  attributes: { name, ...attributes },
});

describe("agentThreadPath", () => {
  it("is .threads/<agent>/<user>.thread, unchanged for safe names", () => {
    expect(agentThreadPath("assistant", "dev-ada")).toBe(".threads/assistant/dev-ada.thread");
  });

  it("is a path the demo agent accepts as one of its threads", () => {
    const path = agentThreadPath("assistant", "dev:ada");
    expect(path).toBe(".threads/assistant/dev%3Aada.thread");
    expect(threadUserOf("assistant", path)).toBe("dev%3Aada");
  });

  it.each([
    ["a/b", "a%2Fb"],
    ["..", "%2E%2E"],
    [".", "%2E"],
    ["", "_"],
    ["a\\b", "a%5Cb"],
    ["x\u0000y\ny", "x%00y%0Ay"],
    ["é", "%C3%A9"],
    ["My Bot", "My%20Bot"],
  ])("encodes %j as one segment %j", (input, expected) => {
    expect(safePathSegment(input)).toBe(expected);
  });

  it("never yields a separator, a control character, a dot segment or an over-long segment (seeded fuzz)", () => {
    const random = prng(9);
    for (let i = 0; i < 500; i++) {
      const length = Math.floor(random() * 300);
      const input = Array.from({ length }, () => String.fromCodePoint(Math.floor(random() * 0x2000))).join("");
      const segment = safePathSegment(input);
      expect(segment).toMatch(/^[A-Za-z0-9._~%-]{1,200}$/);
      expect(segment).not.toMatch(/^\.{1,2}$/);
      expect(segment).not.toMatch(/%[0-9A-F]?$/);
    }
  });
});

describe("messages to an agent", () => {
  it("use the contract's types", () => {
    expect([openedMessage.type, chatToAgent.type, typingMessage.type, cancelMessage.type]).toEqual([
      "opened",
      "chat",
      "typing",
      "cancel",
    ]);
  });

  it("chat carries path, text, no attachments and store: true", () => {
    const payload = { path: ".threads/a/u.thread", text: "hi", attachments: [], store: true as const };
    expect(z.parse(chatToAgent.schema, payload)).toEqual(payload);
    expect(z.safeParse(chatToAgent.schema, { ...payload, text: "  " }).success).toBe(false);
    expect(z.safeParse(chatToAgent.schema, { ...payload, attachments: [{ path: "x" }] }).success).toBe(false);
  });
});

describe("messages from an agent", () => {
  const own = (name: string) => agentThreadPath(name, "dev:ada");

  it("accepts { path, text }", () => {
    expect(z.parse(chatFromAgent.schema, { path: own("assistant"), text: "Hello" })).toEqual({
      path: own("assistant"),
      text: "Hello",
    });
  });

  it.each([
    null,
    "hi",
    {},
    { path: 1, text: "x" },
    { path: "p", text: 5 },
    { path: "p", text: "   " },
    { path: "", text: "x" },
    { path: "p", text: "x".repeat(AGENT_REPLY_MAX_LENGTH + 1) },
    { path: "p".repeat(600), text: "x" },
  ])("rejects %j", (payload) => {
    expect(z.safeParse(chatFromAgent.schema, payload).success).toBe(false);
  });

  it("is ours only from an agent, on our own path with that agent", () => {
    expect(isOwnAgentReply({ role: "agent", name: "assistant" }, own("assistant"), own)).toBe(true);
    expect(isOwnAgentReply({ role: "user", name: "assistant" }, own("assistant"), own)).toBe(false);
    expect(isOwnAgentReply(null, own("assistant"), own)).toBe(false);
    expect(isOwnAgentReply({ role: "agent", name: "other" }, own("assistant"), own)).toBe(false);
    expect(isOwnAgentReply({ role: "agent", name: "assistant" }, agentThreadPath("assistant", "dev:bob"), own)).toBe(
      false,
    );
  });
});

describe("agentStatus", () => {
  const path = agentThreadPath("assistant", "dev:ada");
  const keys = statusKeys(path);

  it("reads text, mode and started_at for our path", () => {
    const status = agentStatus(
      agent({ [keys.text]: "Thinking", [keys.mode]: "busy", [keys.startedAt]: "2026-01-01T00:00:00.000Z" }),
      path,
    );
    expect(status).toEqual({ text: "Thinking", mode: "busy", startedAt: Date.parse("2026-01-01T00:00:00.000Z") });
  });

  it("is null when cleared, absent, blank or for another path", () => {
    expect(agentStatus(agent({}), path)).toBeNull();
    expect(agentStatus(agent({ [keys.text]: "   " }), path)).toBeNull();
    expect(agentStatus(agent({ [statusKeys("other").text]: "Thinking" }), path)).toBeNull();
  });

  it("keeps a usable text when the other fields are junk, and bounds long text", () => {
    const status = agentStatus(agent({ [keys.text]: "x".repeat(500), [keys.mode]: 7, [keys.startedAt]: "soon" }), path);
    expect(status?.text).toHaveLength(81);
    expect(status).toMatchObject({ mode: null, startedAt: null });
  });
});

describe("malformed agent input (seeded fuzz)", () => {
  const junk = (random: () => number, depth = 0): unknown => {
    const pick = Math.floor(random() * 10);
    if (depth > 2) return pick;
    switch (pick) {
      case 0:
        return null;
      case 1:
        return undefined;
      case 2:
        return random() * 1e9;
      case 3:
        return "x".repeat(Math.floor(random() * 30_000));
      case 4:
        return String.fromCodePoint(...Array.from({ length: 20 }, () => Math.floor(random() * 0xffff)));
      case 5:
        return [junk(random, depth + 1), junk(random, depth + 1)];
      case 6:
        return { path: junk(random, depth + 1), text: junk(random, depth + 1) };
      case 7:
        return {
          toString: 1,
          valueOf: () => {
            throw new Error("boom");
          },
        };
      case 8:
        return Object.create(null);
      default:
        return true;
    }
  };

  it("never throws for 5000 random chat payloads and status attributes", () => {
    const random = prng(2026);
    const path = agentThreadPath("assistant", "dev:ada");
    const keys = statusKeys(path);
    for (let i = 0; i < 5000; i++) {
      expect(() => z.safeParse(chatFromAgent.schema, junk(random))).not.toThrow();
      const attributes = { [keys.text]: junk(random), [keys.mode]: junk(random), [keys.startedAt]: junk(random) };
      expect(() => agentStatus(agent(attributes), path)).not.toThrow();
      const status = agentStatus(agent(attributes), path);
      if (status) expect(status.text.length).toBeLessThanOrEqual(81);
    }
  });
});

describe("threadsReducer", () => {
  const line = (id: string, own = false): AgentLine => ({
    id,
    own,
    text: id,
    at: 0,
    status: own ? "sending" : "received",
  });

  it("keeps each thread separate and updates only own lines", () => {
    let threads: Threads = {};
    threads = threadsReducer(threads, { type: "add", path: "a", line: line("1", true) });
    threads = threadsReducer(threads, { type: "add", path: "b", line: line("2") });
    threads = threadsReducer(threads, { type: "status", path: "a", id: "1", status: "sent" });
    expect(threads.a).toEqual([{ ...line("1", true), status: "sent" }]);
    expect(threads.b).toEqual([line("2")]);
    expect(threadsReducer(threads, { type: "status", path: "b", id: "2", status: "failed" })).toBe(threads);
  });

  it("bounds lines per thread and the number of threads, dropping the least recently used", () => {
    let threads: Threads = {};
    for (let i = 0; i < THREAD_LINE_LIMIT + 3; i++)
      threads = threadsReducer(threads, { type: "add", path: "a", line: line(`${i}`) });
    expect(threads.a).toHaveLength(THREAD_LINE_LIMIT);
    expect(threads.a[0].id).toBe("3");
    for (let i = 0; i < THREAD_LIMIT + 5; i++)
      threads = threadsReducer(threads, { type: "add", path: `t${i}`, line: line("x") });
    expect(Object.keys(threads)).toHaveLength(THREAD_LIMIT);
    expect(threads.a).toBeUndefined();
  });
});
