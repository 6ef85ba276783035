// The demo agent's turn protocol in the real local room, driven by real SDK
// clients playing the browser: threads, streamed turns, queueing, Stop,
// steering, persistence across an agent restart, and isolation.

import { afterEach, describe, expect, it } from "vitest";
import { SECRET, useHarness, waitFor } from "../../tooling/dev-room/test-helpers";
import { startDemoAgent, type DemoAgent, type DemoAgentOptions } from "../index";
import { createOfflineTurnBrain } from "./offline-turn";
import { SAMPLE_MARKDOWN } from "./sample-answer";
import { joinTurnBrowser } from "./test-support";

const ROOM = "turn-test";
const h = useHarness({ dataDir: "turn-room-" });
let agent: DemoAgent | null = null;
const logs: string[] = [];

afterEach(async () => {
  await agent?.stop();
  agent = null;
  logs.length = 0;
});

async function startAgent(options: Partial<DemoAgentOptions> = {}): Promise<DemoAgent> {
  agent = startDemoAgent({
    rooms: [ROOM],
    target: { where: "local-dev-room", apiUrl: h.server.url, secret: SECRET },
    backoff: { baseMs: 50, maxMs: 200 },
    turnBrain: createOfflineTurnBrain({ pieceDelayMs: 2, slowStepMs: 150 }),
    log: (line) => logs.push(line),
    ...options,
  });
  await agent.whenConnected();
  return agent;
}

const short = (type: string) => type.replace("meshagent.agent.", "");

describe("the turn protocol in the local room", () => {
  it("advertises itself, starts a named thread and streams a turn in MeshAgent's order", async () => {
    await startAgent();
    const alice = await joinTurnBrowser(h, "alice", ROOM);
    const peer = alice.agent()!;
    expect(peer.getAttribute("meshagent.chatbot.threading")).toBe("default-new");
    expect(peer.getAttribute("empty_state_title")).toBe("Chat with assistant");

    await alice.send("meshagent.agent.thread.watch", {});
    const { threadId, turnId, messageId } = await alice.startThread("ping the agent please, it is a test");
    await alice.ended(turnId);
    await alice.next("meshagent.agent.thread.status", (e) => e.status === undefined);

    const created = await alice.next("meshagent.agent.thread.created");
    expect(created.thread).toMatchObject({ path: threadId, name: "ping the agent please, it is a test" });
    const order = alice.events
      .filter((e) => !e.type.endsWith("thread.created"))
      .map((e) => short(e.type) + (e.type === "meshagent.agent.thread.status" ? `:${e.status ?? "idle"}` : ""));
    expect(order.slice(0, 5)).toEqual([
      "thread.started",
      "turn.start.accepted",
      "thread.status:Thinking",
      "turn.started",
      "text_content.started",
    ]);
    expect(order.slice(-4)).toEqual(["text_content.ended", "usage.updated", "turn.ended", "thread.status:idle"]);
    expect(alice.of("meshagent.agent.turn.started")[0]).toMatchObject({
      turn_id: turnId,
      source_message_id: messageId,
      sender_name: "alice",
      content: [{ type: "text", text: "ping the agent please, it is a test" }],
    });
    expect(alice.of("meshagent.agent.turn.ended")[0].error).toBeUndefined();
    expect(alice.answer(turnId)).toContain("You said");
    expect(alice.unparsed).toEqual([]);
  });

  it("streams a long markdown answer in pieces, visible before the turn ends", async () => {
    await startAgent();
    const alice = await joinTurnBrowser(h, "alice", ROOM);
    const { turnId } = await alice.startThread("markdown");
    const ended = await alice.ended(turnId);
    expect(ended.error).toBeUndefined();
    const deltas = alice.seen.filter(
      (s) => s.event.type === "meshagent.agent.text_content.delta" && s.event.phase === "final_answer",
    );
    expect(deltas.length).toBeGreaterThan(50);
    expect(alice.answer(turnId)).toBe(SAMPLE_MARKDOWN);
    const endedAt = alice.seen.find((s) => s.event === ended)!.at;
    expect(deltas[0].at).toBeLessThan(endedAt);
    // the commentary item is kept apart from the final answer
    const commentary = alice.of("meshagent.agent.text_content.started", (e) => e.phase === "commentary");
    expect(commentary).toHaveLength(1);
    expect(new Set(deltas.map((s) => (s.event as { item_id: string }).item_id)).size).toBe(1);
  });
});
