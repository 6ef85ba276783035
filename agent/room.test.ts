// The demo agent in the real local dev room, driven by real SDK clients
// playing the browser side of the chatbot contract.

import { afterEach, describe, expect, it } from "vitest";
import { startDevRoomServer } from "../tooling/dev-room/server";
import { SECRET, useHarness, waitFor } from "../tooling/dev-room/test-helpers";
import { createModelBrain } from "./brain/model";
import { statusAttributes, threadPath } from "./contract";
import { prng } from "../tooling/testing/prng";
import { startDemoAgent, type DemoAgent, type DemoAgentOptions } from "./index";
import { startModelServer, type ModelServer } from "./openai-test-server";
import { joinBrowser } from "./test-support";

const ROOM = "agent-test";
const h = useHarness();
let agent: DemoAgent | null = null;
let model: ModelServer | null = null;
const logs: string[] = [];

afterEach(async () => {
  await agent?.stop();
  agent = null;
  await model?.close();
  model = null;
  logs.length = 0;
});

async function startAgent(options: Partial<DemoAgentOptions> = {}): Promise<DemoAgent> {
  agent = startDemoAgent({
    rooms: [ROOM],
    target: { where: "local-dev-room", apiUrl: h.server.url, secret: SECRET },
    backoff: { baseMs: 50, maxMs: 200 },
    log: (line) => logs.push(line),
    ...options,
  });
  await agent.whenConnected();
  return agent;
}

describe("demo agent in the local room", () => {
  it("is listed as an agent named by AGENT_NAME and greets a new thread once", async () => {
    await startAgent({ agentName: "helper" });
    const alice = await joinBrowser(h, "alice", ROOM, "helper");
    const peer = await alice.waitForAgent();
    expect(peer.role).toBe("agent");
    expect(peer.getAttribute("name")).toBe("helper");

    await alice.opened();
    const greeting = await alice.nextChat(0, "greeting");
    expect(greeting.path).toBe(".threads/helper/alice.thread");
    expect(greeting.text).toContain("Hi alice!");

    await alice.opened();
    await alice.chat("ping");
    const reply = await alice.nextChat(1, "reply");
    expect(reply.text).toBe("pong"); // no second greeting came first
  });

  it("shows Thinking as its status attributes while it answers, then clears them", async () => {
    await startAgent();
    const alice = await joinBrowser(h, "alice", ROOM, "assistant");
    const bob = await joinBrowser(h, "bob", ROOM, "assistant");
    await bob.waitForAgent();
    const sent = Date.now();
    await alice.chat("Who is here?");
    const reply = await alice.nextChat(0, "reply");
    expect(reply.text).toContain("• alice");
    expect(reply.text).toContain("• bob");
    expect(reply.at - sent).toBeLessThan(3000);

    const keys = statusAttributes(alice.path);
    await waitFor(() => alice.statuses.some((s) => s.attributes[keys.text] === null), "status cleared");
    const set = alice.statuses.find((s) => s.attributes[keys.text] === "Thinking")!;
    expect(set.attributes[keys.mode]).toBe("busy");
    expect(Date.parse(String(set.attributes[keys.startedAt]))).toBeGreaterThan(sent - 1000);
    const cleared = alice.statuses.find((s) => s.attributes[keys.text] === null)!;
    expect(cleared.attributes).toEqual({ [keys.text]: null, [keys.mode]: null, [keys.startedAt]: null });
    expect(set.at).toBeLessThanOrEqual(reply.at);
    expect(cleared.at).toBeGreaterThanOrEqual(reply.at);
    expect(alice.statusText()).toBeNull();
    // bob sees the status of alice's thread too (attributes are public) but gets none of its replies
    expect(bob.statuses.some((s) => s.attributes[keys.text] === "Thinking")).toBe(true);
    expect(bob.chats).toEqual([]);
  });

  it("keeps two users' threads apart, even when one of them sends the other's path", async () => {
    await startAgent();
    const alice = await joinBrowser(h, "alice", ROOM, "assistant");
    const bob = await joinBrowser(h, "bob", ROOM, "assistant");
    await Promise.all([alice.chat("ping"), bob.chat("help")]);
    expect((await alice.nextChat(0, "alice's reply")).text).toBe("pong");
    expect((await bob.nextChat(0, "bob's reply")).text).toContain("I understand");
    expect(alice.chats.map((c) => c.path)).toEqual([alice.path]);
    expect(bob.chats.map((c) => c.path)).toEqual([bob.path]);

    // bob using alice's path is refused, to bob only (19 M6)
    await bob.chat("ping", alice.path);
    expect(await bob.nextChat(1, "bob's refusal")).toMatchObject({
      path: alice.path,
      text: expect.stringContaining("belongs to someone else"),
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(alice.chats).toHaveLength(1);
  });

  it("another user's path cannot block, watch or stop a user's thread (19 M6)", async () => {
    model = await startModelServer({ kind: "hang" });
    const running = await startAgent({
      brain: createModelBrain({ apiKey: "test-key", baseURL: model.baseURL, model: "test-model" }),
    });
    const alice = await joinBrowser(h, "alice", ROOM, "assistant");
    const mallory = await joinBrowser(h, "mallory", ROOM, "assistant");
    await mallory.waitForAgent();
    // mallory starts a job on alice's path: refused, nothing runs, alice's status stays empty
    await mallory.chat("a long story please", alice.path);
    expect((await mallory.nextChat(0, "refusal")).text).toContain("belongs to someone else");
    expect(model.requests).toHaveLength(0);
    expect(alice.statusText()).toBeNull();

    // alice is answered normally (not "still answering"), and mallory's Stop on her path does nothing
    model.mode = { kind: "stream", chunks: ["Hello ", "alice."] };
    await alice.chat("hi");
    await mallory.cancel(alice.path);
    expect((await alice.nextChat(0, "alice's reply")).text).toBe("Hello alice.");
    expect(running.rooms.get(ROOM)!.agent.counters.refused).toBe(2);
    // the only status keys the agent ever set are alice's own
    const keys = new Set(alice.statuses.flatMap((s) => Object.keys(s.attributes)));
    expect(keys).toEqual(new Set(Object.values(statusAttributes(alice.path))));
  });

  it(
    "fuzz: 400 legacy messages with foreign and near-miss paths never touch another user's thread",
    { timeout: 60_000 },
    async () => {
      const running = await startAgent();
      const alice = await joinBrowser(h, "alice", ROOM, "assistant");
      const mallory = await joinBrowser(h, "mallory", ROOM, "assistant");
      await mallory.waitForAgent();
      const random = prng(19);
      const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
      const foreign = [
        alice.path,
        threadPath("assistant", "Alice"),
        threadPath("assistant", "alice "),
        threadPath("assistant", "ali\u200Bce"),
        threadPath("assistant", "dev:alice"),
        ".threads/assistant/alice.thread/",
        ".threads/assistant//alice.thread",
        ".threads/assistant/./alice.thread",
        ".threads/assistant/%61lice.thread",
        ".threads/Assistant/mallory.thread",
        ".threads/assistant/mallory.thread\u0000",
        " .threads/assistant/mallory.thread",
        threadPath("assistant", "x".repeat(150)),
      ];
      for (let i = 0; i < 400; i++) {
        const type = pick(["opened", "chat", "typing", "cancel"] as const);
        const path = pick(foreign);
        const message =
          type === "chat" ? { path, text: `fuzz ${i}`, attachments: [], store: pick([true, false]) } : { path };
        await mallory.send(type, message);
        if (i === 200) await alice.chat("ping");
      }
      const counters = running.rooms.get(ROOM)!.agent.counters;
      await waitFor(() => counters.refused + counters.ignored + counters.limited >= 400, "all 400 dealt with", 10_000);
      expect(counters.handled).toBe(1); // alice's ping, nothing of mallory's
      expect(alice.chats.map((c) => [c.path, c.text])).toEqual([[alice.path, "pong"]]);
      // every reply mallory got is a refusal or a slow-down, and no status was ever set for anyone but alice
      expect(mallory.chats.every((c) => /someone else|faster than I can answer/.test(c.text))).toBe(true);
      const keys = new Set(alice.statuses.flatMap((s) => Object.keys(s.attributes)));
      expect([...keys].every((key) => key.endsWith(alice.path))).toBe(true);
      // and mallory's own thread still works
      await new Promise((resolve) => setTimeout(resolve, 10_500)); // the slow-down window
      await mallory.chat("ping");
      await waitFor(() => mallory.chats.some((c) => c.path === mallory.path && c.text === "pong"), "mallory's pong");
    },
  );

  it("ignores malformed and foreign messages sent through the room and keeps serving", async () => {
    const running = await startAgent();
    const alice = await joinBrowser(h, "alice", ROOM, "assistant");
    await alice.send("chat", { text: "no path" });
    await alice.send("chat", { path: alice.path, text: 42 });
    await alice.send("chat", { path: alice.path, text: "x".repeat(5000) });
    await alice.send("chat", { path: ".threads/someone-else/alice.thread", text: "hi" });
    await alice.send("chat", { path: "../../etc/passwd", text: "hi" });
    await alice.send("meshagent.room-chat.message", { text: "room chat is not for me" });
    await alice.send("steer", { path: alice.path, text: "unsupported" });
    await waitFor(() => running.rooms.get(ROOM)!.agent.counters.ignored >= 7, "all ignored");
    await alice.chat("ping");
    expect((await alice.nextChat(0, "reply")).text).toBe("pong");
    expect(alice.chats).toHaveLength(1);
  });

  it("stops a slow model reply on cancel: status clears, no reply, the model request is aborted", async () => {
    model = await startModelServer({ kind: "hang" });
    await startAgent({ brain: createModelBrain({ apiKey: "test-key", baseURL: model.baseURL, model: "test-model" }) });
    const alice = await joinBrowser(h, "alice", ROOM, "assistant");
    await alice.chat("tell me a long story");
    await waitFor(() => alice.statusText() === "Thinking", "Thinking");
    await waitFor(() => model!.requests.length === 1, "model request");
    await alice.cancel();
    await waitFor(() => alice.statusText() === null, "status cleared", 2000);
    await waitFor(() => model!.requests[0].aborted, "model request aborted", 2000);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(alice.chats).toEqual([]);

    model.mode = { kind: "stream", chunks: ["Once ", "upon ", "a time."] };
    await alice.chat("a short one then");
    expect((await alice.nextChat(0, "next reply")).text).toBe("Once upon a time.");
  });

  it("rejoins with a fresh token after the room server restarts, keeping its threads", async () => {
    const running = await startAgent();
    const connection = running.rooms.get(ROOM)!.connection;
    const alice = await joinBrowser(h, "alice", ROOM, "assistant");
    await alice.opened();
    await alice.nextChat(0, "greeting");

    const port = h.server.port;
    await h.server.close();
    await waitFor(() => connection.connected === null, "agent noticed the room went away");
    h.server = await startDevRoomServer({ port, secret: SECRET });
    await waitFor(() => connection.joins === 2, "agent rejoined", 5000);
    expect(connection.attempts).toBeGreaterThanOrEqual(2);

    const again = await joinBrowser(h, "alice", ROOM, "assistant");
    await again.opened(); // same thread as before: no second greeting
    await again.chat("ping");
    expect((await again.nextChat(0, "reply after restart")).text).toBe("pong");
    expect(again.chats).toHaveLength(1);
    expect(logs.some((line) => line.includes("room went away"))).toBe(true);
  });

  it("keeps trying while the room is down, and stops at once when told", async () => {
    const dead = await startDevRoomServer({ port: 0, secret: SECRET });
    await dead.close();
    agent = startDemoAgent({
      rooms: [ROOM],
      target: { where: "local-dev-room", apiUrl: dead.url, secret: SECRET },
      backoff: { baseMs: 5, maxMs: 10 },
      log: (line) => logs.push(line),
    });
    const connection = agent.rooms.get(ROOM)!.connection;
    await waitFor(() => connection.attempts >= 20, "20 attempts", 5000);
    expect(connection.joins).toBe(0);
    expect(logs.at(-1)).toMatch(/could not join \(connect ECONNREFUSED .*\); retrying in \d+ ms/);
    const started = Date.now();
    await agent.stop();
    expect(Date.now() - started).toBeLessThan(500);
    const attempts = connection.attempts;
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(connection.attempts).toBe(attempts);
  });
});
