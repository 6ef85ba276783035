// Message handling of the demo agent without a room: the contract's four
// messages, ownership of threads, limits, and a seeded fuzz of hostile input.

import { describe, expect, it } from "vitest";
import { MAX_TEXT_LENGTH, parseIncoming, statusAttributes, threadPath, threadUserOf } from "./contract";
import { createOfflineBrain } from "./brain/offline";
import { BrainError, type Brain, type BrainRequest } from "./brain/types";
import { MAX_REPLY_LENGTH, ThreadAgent, type ThreadAgentOptions } from "./handler";
import { prng } from "../tooling/testing/prng";
import { RecordingPort } from "./test-support";

const alice = { id: "p-alice", name: "alice", role: "user" };
const alice2 = { id: "p-alice-tab-2", name: "alice", role: "user" };
const bob = { id: "p-bob", name: "bob", role: "user" };
const otherAgent = { id: "p-agent", name: "indexer", role: "agent" };
const A = threadPath("assistant", "alice");
const B = threadPath("assistant", "bob");
const NOT_YOURS = "That thread belongs to someone else. I only talk with you in your own thread.";

/** A brain the test controls: each reply waits until released (or the signal aborts, if it listens). */
class ScriptedBrain implements Brain {
  readonly description = "scripted";
  readonly requests: BrainRequest[] = [];
  private releases: ((text: string) => void)[] = [];
  private early: string[] = [];
  constructor(private readonly listens = true) {}
  greeting(userName: string) {
    return `hello ${userName}`;
  }
  reply(request: BrainRequest): Promise<string> {
    this.requests.push(request);
    return new Promise((resolve, reject) => {
      if (this.early.length > 0) return resolve(this.early.shift()!);
      this.releases.push(resolve);
      if (this.listens) request.signal.addEventListener("abort", () => reject(request.signal.reason));
    });
  }
  /** Answers the oldest waiting request, or the next one to arrive. */
  release(text: string) {
    const waiting = this.releases.shift();
    if (waiting) waiting(text);
    else this.early.push(text);
  }
}

function setup(options: Partial<ThreadAgentOptions> = {}, peers = [alice, alice2, bob, otherAgent]) {
  const port = new RecordingPort(peers);
  const logs: string[] = [];
  const agent = new ThreadAgent({
    room: "lobby",
    agentName: "assistant",
    brain: createOfflineBrain(),
    senderLimit: { points: 1000 },
    log: (line) => logs.push(line),
    ...options,
  });
  agent.attach(port);
  return { agent, port, logs };
}

const chat = (path: string, text: string, extra: Record<string, unknown> = {}) => ({
  path,
  text,
  attachments: [],
  store: true,
  ...extra,
});

async function until(predicate: () => boolean): Promise<void> {
  await expect.poll(predicate, { timeout: 1000, interval: 2 }).toBe(true);
}

describe("contract parsing", () => {
  it("accepts exactly the four messages with their fields", () => {
    expect(parseIncoming("opened", { path: A })).toEqual({ type: "opened", message: { path: A } });
    expect(parseIncoming("chat", chat(A, "hi"))?.type).toBe("chat");
    expect(parseIncoming("chat", { path: A, text: "hi" })?.type).toBe("chat"); // useChat sends no store
    expect(parseIncoming("typing", { path: A })?.type).toBe("typing");
    expect(parseIncoming("cancel", { path: A })?.type).toBe("cancel");
  });

  it.each([
    ["clear", { path: A }],
    ["chat", { path: A }],
    ["chat", { path: A, text: 1 }],
    ["chat", { path: 1, text: "hi" }],
    ["chat", { path: A, text: "x".repeat(MAX_TEXT_LENGTH + 1) }],
    ["chat", { path: A, text: "hi", attachments: "nope" }],
    ["chat", { path: A, text: "hi", attachments: [{ path: 1 }] }],
    ["chat", { path: A, text: "hi", store: "yes" }],
    ["opened", null],
    ["opened", "path"],
    ["opened", [A]],
    ["opened", { path: "" }],
    [42, { path: A }],
    [undefined, undefined],
  ])("refuses %j %j", (type, message) => {
    expect(parseIncoming(type, message)).toBeNull();
  });

  it("knows its own thread paths and nothing else", () => {
    expect(threadUserOf("assistant", A)).toBe("alice");
    expect(threadPath("assistant", "Ada Lovelace")).toBe(".threads/assistant/Ada%20Lovelace.thread");
    expect(threadPath("assistant", "..")).toBe(".threads/assistant/%2E%2E.thread");
    expect(threadUserOf("assistant", ".threads/assistant/12345.thread")).toBe("12345");
    for (const path of [
      ".threads/other/dev:alice.thread",
      ".threads/assistant/.thread",
      ".threads/assistant/a/b.thread",
      ".threads/assistant/...thread",
      ".threads/assistant/dev:alice",
      "threads/assistant/dev:alice.thread",
      ".threads/assistant/a\u0000b.thread",
      ".threads/assistant/a\\b.thread",
    ]) {
      expect(threadUserOf("assistant", path), path).toBeNull();
    }
  });
});

describe("thread handling", () => {
  it("greets a new thread once, then answers chats in it", async () => {
    const { agent, port } = setup();
    await agent.handle(alice.id, "opened", { path: A });
    await agent.handle(alice.id, "opened", { path: A });
    expect(port.sent).toEqual([{ to: alice.id, path: A, text: expect.stringContaining("Hi alice!") }]);
    await agent.handle(alice.id, "chat", chat(A, "ping"));
    await agent.idle();
    expect(port.sent.at(-1)).toEqual({ to: alice.id, path: A, text: "pong" });
    expect(agent.counters).toMatchObject({ handled: 3, ignored: 0 });
  });

  it("sends replies to every tab of the thread's owner that has it open, and nobody else", async () => {
    const { agent, port } = setup();
    await agent.handle(alice.id, "opened", { path: A });
    await agent.handle(alice2.id, "opened", { path: A });
    await agent.handle(alice.id, "chat", chat(A, "ping"));
    await agent.idle();
    expect(port.sent.filter((s) => s.text === "pong").map((s) => s.to)).toEqual([alice.id, alice2.id]);

    port.people.delete(alice2.id);
    agent.participantLeft(alice2.id);
    await agent.handle(alice.id, "chat", chat(A, "ping"));
    await agent.idle();
    expect(port.sent.filter((s) => s.text === "pong").map((s) => s.to)).toEqual([alice.id, alice2.id, alice.id]);
  });

  it("keys threads, status and Stop by the sender's identity: another person's path is refused (19 M6)", async () => {
    const brain = new ScriptedBrain();
    const { agent, port } = setup({ brain });
    await agent.handle(alice.id, "chat", chat(A, "one"));
    await agent.handle(bob.id, "cancel", { path: A }); // not bob's thread: alice's reply goes on
    await agent.handle(bob.id, "typing", { path: A });
    await agent.handle(bob.id, "opened", { path: A });
    await agent.handle(bob.id, "chat", chat(A, "hijack"));
    expect(brain.requests.map((r) => r.text)).toEqual(["one"]);
    brain.release("done");
    await agent.idle();
    expect(port.sent).toEqual([
      { to: bob.id, path: A, text: NOT_YOURS },
      { to: bob.id, path: A, text: NOT_YOURS },
      { to: alice.id, path: A, text: "done" },
    ]);
    expect(agent.counters).toMatchObject({ refused: 4 });
    // Only alice's job ever showed a status, and only on alice's path.
    expect(new Set(port.attributeUpdates.flatMap((update) => Object.keys(update)))).toEqual(
      new Set(Object.values(statusAttributes(A))),
    );

    // bob busy in his own thread does not make alice wait, and her Stop is hers.
    await agent.handle(bob.id, "chat", chat(B, "bob's question"));
    await agent.handle(alice.id, "chat", chat(A, "two"));
    await until(() => brain.requests.length === 3);
    expect(brain.requests.map((r) => [r.userName, r.text])).toEqual([
      ["alice", "one"],
      ["bob", "bob's question"],
      ["alice", "two"],
    ]);
    await agent.handle(alice.id, "cancel", { path: A });
    brain.release("to bob");
    await agent.idle();
    expect(port.sent.at(-1)).toEqual({ to: bob.id, path: B, text: "to bob" });
    expect(brain.requests[2].history.map((t) => t.text)).toEqual(["one", "done"]);
  });

  it("gives one person one reply at a time, whatever paths or tabs they use (19 L5)", async () => {
    const brain = new ScriptedBrain();
    const { agent, port } = setup({ brain, maxConcurrentReplies: 8 });
    await agent.handle(alice.id, "chat", chat(A, "first"));
    for (let i = 0; i < 8; i++) await agent.handle(alice.id, "chat", chat(threadPath("assistant", `alt-${i}`), "more"));
    await agent.handle(alice2.id, "chat", chat(A, "from my other tab"));
    expect(agent.threads.working()).toHaveLength(1);
    expect(brain.requests).toHaveLength(1);
    expect(port.sent.filter((s) => s.text === NOT_YOURS)).toHaveLength(8);
    expect(port.sent.at(-1)).toMatchObject({ to: alice2.id, text: expect.stringContaining("still answering") });
    // The slots alice cannot take are there for bob.
    await agent.handle(bob.id, "chat", chat(B, "hi"));
    expect(agent.threads.working()).toHaveLength(2);
    await agent.stop();
  });

  it("ignores other agents, unknown senders, foreign paths and blank text", async () => {
    const { agent, port } = setup();
    await agent.handle(otherAgent.id, "chat", chat(A, "ping"));
    await agent.handle("p-nobody", "chat", chat(A, "ping"));
    await agent.handle(undefined, "chat", chat(A, "ping"));
    await agent.handle(alice.id, "chat", chat(".threads/someone/dev:alice.thread", "ping"));
    await agent.handle(alice.id, "chat", chat(A, "   \n "));
    await agent.handle(alice.id, "typing", { path: A }); // no such thread yet
    await agent.idle();
    expect(port.sent).toEqual([]);
    expect(agent.counters).toMatchObject({ handled: 0, ignored: 6 });
  });

  it("shows busy status while working, says so to a second chat, and clears the status after", async () => {
    const brain = new ScriptedBrain();
    const { agent, port } = setup({ brain });
    await agent.handle(alice.id, "chat", chat(A, "first"));
    expect(port.attributes).toMatchObject({
      [`thread.status.text.${A}`]: "Thinking",
      [`thread.status.mode.${A}`]: "busy",
    });
    await agent.handle(alice.id, "chat", chat(A, "second"));
    expect(port.sent.map((s) => s.text)).toEqual([
      "I'm still answering your previous message. Wait for it, or press Stop.",
    ]);
    brain.requests[0].progress("Looking things up");
    await until(() => port.attributes[`thread.status.text.${A}`] === "Looking things up");
    brain.release("answer");
    await agent.idle();
    expect(port.sent.at(-1)?.text).toBe("answer");
    expect(port.attributes).toEqual({
      [`thread.status.text.${A}`]: null,
      [`thread.status.mode.${A}`]: null,
      [`thread.status.started_at.${A}`]: null,
    });
    expect(brain.requests).toHaveLength(1);
  });

  it("keeps bounded history, and nothing of a chat sent with store: false", async () => {
    const brain = new ScriptedBrain();
    const { agent } = setup({ brain, limits: { maxHistory: 4 } });
    for (const [i, store] of [true, false, true, true, true].entries()) {
      await agent.handle(alice.id, "chat", chat(A, `q${i}`, { store }));
      brain.release(`a${i}`);
      await agent.idle();
    }
    const seen = brain.requests.map((r) => r.history.map((t) => t.text).join(","));
    expect(seen).toEqual(["", "q0,a0", "q0,a0", "q0,a0,q2,a2", "q2,a2,q3,a3"]);
    expect(brain.requests[4].userName).toBe("alice");
  });

  it("serves many threads at once and refuses work beyond maxConcurrentReplies", async () => {
    const brain = new ScriptedBrain();
    const { agent, port } = setup({ brain, maxConcurrentReplies: 2 }, [
      alice,
      bob,
      { ...bob, id: "p-carol", name: "carol" },
    ]);
    await agent.handle(alice.id, "chat", chat(A, "a"));
    await agent.handle(bob.id, "chat", chat(B, "b"));
    await agent.handle("p-carol", "chat", chat(threadPath("assistant", "carol"), "c"));
    expect(brain.requests.map((r) => r.text)).toEqual(["a", "b"]);
    expect(port.sent).toEqual([
      expect.objectContaining({ to: "p-carol", text: expect.stringContaining("several people at once") }),
    ]);
    brain.release("to a");
    brain.release("to b");
    await agent.idle();
    expect(port.sent.slice(1).map((s) => [s.to, s.text])).toEqual([
      [alice.id, "to a"],
      [bob.id, "to b"],
    ]);
  });

  it("cancel and the timeout hold even for a brain that ignores its signal", async () => {
    const brain = new ScriptedBrain(false);
    const { agent, port } = setup({ brain, replyTimeoutMs: 50 });
    await agent.handle(alice.id, "chat", chat(A, "one"));
    await agent.handle(alice.id, "cancel", { path: A });
    await agent.idle();
    expect(port.sent).toEqual([]);
    await agent.handle(alice.id, "chat", chat(A, "two"));
    await agent.idle();
    expect(port.sent.map((s) => s.text)).toEqual(["That took longer than 1 s, so I stopped. Please try again."]);
    expect(port.attributes[`thread.status.text.${A}`]).toBeNull();
  });

  it("reports brain failures briefly, truncates runaway replies, and keeps going", async () => {
    const replies: (() => Promise<string>)[] = [
      async () => {
        throw new BrainError("My model is rate limited right now.");
      },
      async () => {
        throw new TypeError("boom");
      },
      async () => "y".repeat(MAX_REPLY_LENGTH + 500),
    ];
    const brain: Brain = { description: "x", greeting: () => "hi", reply: () => replies.shift()!() };
    const { agent, port, logs } = setup({ brain });
    for (const text of ["a", "b", "c"]) {
      await agent.handle(alice.id, "chat", chat(A, text));
      await agent.idle();
    }
    expect(port.sent[0].text).toBe("My model is rate limited right now.");
    expect(port.sent[1].text).toBe("Sorry, something went wrong while I was answering.");
    expect(port.sent[2].text).toHaveLength(MAX_REPLY_LENGTH + 1);
    expect(logs.some((line) => line.includes("boom"))).toBe(true);
  });

  it("stop() ends replies in progress silently", async () => {
    const brain = new ScriptedBrain();
    const { agent, port } = setup({ brain });
    await agent.handle(alice.id, "chat", chat(A, "a"));
    await agent.handle(bob.id, "chat", chat(B, "b"));
    await agent.stop();
    expect(port.sent).toEqual([]);
    expect(agent.threads.working()).toEqual([]);
  });

  it("shows the status of a reply in progress again after reconnecting", async () => {
    const brain = new ScriptedBrain();
    const { agent } = setup({ brain });
    await agent.handle(alice.id, "chat", chat(A, "a"));
    agent.detach();
    const fresh = new RecordingPort([{ ...alice, id: "p-alice-new" }]);
    agent.attach(fresh);
    await until(() => fresh.attributes[`thread.status.text.${A}`] === "Thinking");
    await agent.handle("p-alice-new", "opened", { path: A });
    brain.release("after reconnect");
    await agent.idle();
    expect(fresh.sent).toEqual([{ to: "p-alice-new", path: A, text: "after reconnect" }]);
  });
});

describe("limits", () => {
  it("limits how fast one sender makes it work: one notice, then silence; others unaffected", async () => {
    const { agent, port } = setup({ senderLimit: { points: 3, durationSeconds: 60 } });
    for (let i = 0; i < 6; i++) {
      await agent.handle(alice.id, "chat", chat(A, "ping"));
      await agent.idle();
    }
    expect(port.sent.filter((s) => s.to === alice.id).map((s) => s.text)).toEqual([
      "pong",
      "pong",
      "pong",
      "You're sending messages faster than I can answer. Please wait a few seconds.",
    ]);
    expect(agent.counters.limited).toBe(3);
    // A second tab of the same person shares the limit; another person does not.
    await agent.handle(alice2.id, "chat", chat(A, "ping"));
    await agent.handle(bob.id, "chat", chat(B, "ping"));
    await agent.idle();
    expect(port.sent.filter((s) => s.text === "pong").map((s) => s.to)).toEqual([alice.id, alice.id, alice.id, bob.id]);
  });

  it("keeps one thread per person and bounds threads per room, dropping the least recently used idle ones", async () => {
    const people = Array.from({ length: 8 }, (_, i) => ({ id: `p-${i}`, name: `person-${i}`, role: "user" }));
    const { agent } = setup({ limits: { maxThreads: 5 } }, people);
    for (const person of people) {
      for (let i = 0; i < 3; i++) await agent.handle(person.id, "opened", { path: threadPath("assistant", `x-${i}`) });
      await agent.handle(person.id, "opened", { path: threadPath("assistant", person.name) });
    }
    expect(agent.threads.size).toBe(5);
    expect(agent.threads.get("person-7")?.path).toBe(threadPath("assistant", "person-7"));
    expect(agent.threads.get("person-2")).toBeUndefined();
  });
});

describe("fuzz", () => {
  it("never throws and keeps serving through 5000 malformed or hostile messages (seed 9)", async () => {
    const random = prng(9);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
    const weird: unknown[] = [
      null,
      undefined,
      0,
      -1,
      NaN,
      true,
      "",
      "x".repeat(MAX_TEXT_LENGTH + 1),
      [],
      [1, 2],
      {},
      { toString: 1 },
      JSON.parse('{"__proto__": {"polluted": true}}'),
      { constructor: { prototype: { polluted: true } } },
      "\u0000\uffff\ud800",
      A,
      B,
      "../../../etc/passwd",
      ".threads/assistant/../../x.thread",
      ".threads/assistant/" + "a".repeat(400) + ".thread",
    ];
    const types = ["opened", "chat", "typing", "cancel", "clear", "steer", "CHAT", "", "chat ", "__proto__", 7, null];
    const senders = [alice.id, bob.id, otherAgent.id, "p-ghost", "", undefined, 3, {}];
    const value = (depth = 0): unknown =>
      depth < 2 && random() < 0.2
        ? Object.fromEntries([
            ["path", value(depth + 1)],
            ["text", value(depth + 1)],
            [pick(["store", "attachments", "x"]), value(depth + 1)],
          ])
        : pick(weird);

    const { agent, port } = setup({ senderLimit: { points: 1_000_000 } });
    for (let i = 0; i < 5000; i++) {
      const message =
        random() < 0.7
          ? { path: pick(weird), text: pick(weird), attachments: pick(weird), store: pick(weird) }
          : value();
      await expect(agent.handle(pick(senders), pick(types), message)).resolves.toBeUndefined();
    }
    await agent.idle();

    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    // Whatever got through was a valid message from a real person, answered to them only, in a valid path.
    for (const sent of port.sent) {
      expect([alice.id, bob.id]).toContain(sent.to);
      expect([A, B]).toContain(sent.path);
      expect(typeof sent.text).toBe("string");
    }
    expect(agent.counters.ignored).toBeGreaterThan(4000);

    const before = port.sent.length;
    await agent.handle(alice.id, "chat", chat(A, "ping"));
    await agent.idle();
    expect(port.sent.slice(before)).toEqual([{ to: alice.id, path: A, text: "pong" }]);
  });
});
