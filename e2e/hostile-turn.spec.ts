import type { Page } from "@playwright/test";
import { packMessage, type RoomClient } from "@meshagent/meshagent";
import { DEMO_AGENT_ROOM, expect, test } from "./agent-fixtures";
import { newSignedInPage, RoomPage } from "./fixtures";
import { joinAsHostileParticipant } from "./hostile-participant";
import { hostileTurnEvents } from "./hostile-turn-events";
import { ScriptedTurnAgent } from "./scripted-turn-agent";
import { TURN_STORE_LIMITS } from "../features/agents/turn/turn-state";
import { AGENT_MESSAGE_ROOM_TYPE } from "../lib/shared/agent-turn/parse";

/** How much the page's JS heap may grow through the whole flood (it is sent about 15 MB). */
const HEAP_GROWTH_CAP_MIB = 64;

/** The page's JS heap after a full garbage collection, in MiB (Chromium's DevTools protocol). */
async function heapMiB(page: Page): Promise<number> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("HeapProfiler.collectGarbage");
  await cdp.send("Performance.enable");
  const { metrics } = await cdp.send("Performance.getMetrics");
  await cdp.detach();
  return metrics.find((metric) => metric.name === "JSHeapUsedSize")!.value / 2 ** 20;
}

/** Sends `payloads` as agent-message DMs to one participant, a few at a time; the room may refuse some. */
async function dm(from: RoomClient, toName: string, payloads: Record<string, unknown>[]): Promise<void> {
  const to = from.messaging.remoteParticipants.find((p) => p.getAttribute("name") === toName);
  if (!to) throw new Error(`${toName} is not in the room`);
  for (let i = 0; i < payloads.length; i += 20)
    await Promise.all(
      payloads
        .slice(i, i + 20)
        .map((message) =>
          from.messaging.sendMessage({ to, type: AGENT_MESSAGE_ROOM_TYPE, message }).catch(() => undefined),
        ),
    );
}

async function person(browser: Parameters<typeof newSignedInPage>[0], name: string, errors: string[]) {
  const page = await newSignedInPage(browser, name);
  page.on("pageerror", (error) => errors.push(`${name}: ${error.message}`));
  const room = new RoomPage(page);
  await room.open(DEMO_AGENT_ROOM);
  await room.expectLive();
  await page.getByRole("tab", { name: "Agents" }).click();
  return room;
}

async function ask(page: Page, agent: string, text: string) {
  const input = page.getByLabel(`Write to ${agent}`);
  await input.fill(text);
  await input.press("Enter");
}

test("fuzz: hostile turn-protocol agents and a user posing as one cannot crash, freeze or bloat the Agents tab, or write into another person's chat", async ({
  browser,
  demoAgent,
}) => {
  // About 75 s on an idle machine; the flood is consumed at the pace of a browser sharing 2 cores.
  test.setTimeout(240_000);
  const run = Date.now().toString(36);
  const assistant = demoAgent.agentName;
  const errors: string[] = [];

  // Bob's chat with the real demo agent: the one nobody else may write into.
  const bobName = `Bob ${run}`;
  const bob = await person(browser, bobName, errors);
  await ask(bob.page, assistant, "ping");
  const bobAnswers = bob.page.getByTestId("agent-answer");
  await expect(bobAnswers.last()).toContainText("pong");
  await expect(bobAnswers.last()).toHaveAttribute("data-done", "true");
  const bobBefore = await bob.page.getByTestId("agent-thread").innerText();
  const [bobThread] = await demoAgent.rooms.get(DEMO_AGENT_ROOM)!.turn.store.list(bobName);

  // Alice talks to a hostile turn-protocol agent that lists 1,000 chats.
  const aliceName = `Alice ${run}`;
  const alice = await person(browser, aliceName, errors);
  const mallory = new ScriptedTurnAgent(DEMO_AGENT_ROOM, `mallory-${run}`);
  await mallory.join();
  for (let i = 0; i < 1000; i++) mallory.threads.push({ path: `.threads/spam/${i}`, name: `spam ${i}`, history: [] });
  await alice.page.getByTestId("agent-item").filter({ hasText: mallory.name }).click();
  await expect(alice.page.getByTestId("thread-item")).toHaveCount(TURN_STORE_LIMITS.listedThreads);
  await alice.page.getByRole("button", { name: "New chat" }).click();
  await ask(alice.page, mallory.name, "hello");
  await expect(alice.page.getByTestId("agent-answer").last()).toContainText("echo: hello");
  const aliceThread = mallory.threads[0].path;

  // Two who pose as the demo agent: an agent that joins under its name, and a user named like it.
  const impostor = new ScriptedTurnAgent(DEMO_AGENT_ROOM, assistant);
  await impostor.join();
  const poser = await joinAsHostileParticipant(browser, assistant, DEMO_AGENT_ROOM);
  await poser.protocol.send("set_attributes", packMessage({ supports_agent_messages: true }));
  await expect(alice.page.getByTestId("agent-item")).toHaveText([assistant, mallory.name]);
  await expect(bob.page.getByTestId("agent-item")).toHaveText([assistant, mallory.name]);

  const heapBefore = await heapMiB(alice.page);
  const threads = [aliceThread, bobThread.id, "someone-elses", ".threads/spam/1"];
  // 200 random and malformed events (about 3 MB) about Alice's chat and others (they may delete it)...
  await dm(mallory.client, aliceName, hostileTurnEvents(16, 200, threads));
  // ...then 4.8 MB of deltas into a second chat of hers, bare and in the {payload} envelope.
  await alice.page.getByRole("button", { name: "New chat" }).click();
  await ask(alice.page, mallory.name, "second");
  await expect(alice.page.getByTestId("agent-answer").last()).toContainText("echo: second");
  const big = "A".repeat(60_000);
  await dm(
    mallory.client,
    aliceName,
    Array.from({ length: 80 }, (_, i) => {
      const delta = {
        type: "meshagent.agent.text_content.delta",
        thread_id: mallory.threads[0].path,
        turn_id: `flood-${i % 4}`,
        item_id: `flood-item-${i}`,
        text: big,
      };
      return i % 2 ? { payload: delta } : delta;
    }),
  );
  // 100,000 chats (3.5 MB each) in answer to Alice's own thread.list, and unasked.
  const [listRequest] = mallory.requests("thread.list");
  const huge = Array.from({ length: 100_000 }, (_, i) => ({ path: `p${i}`, name: `huge ${i}` }));
  await dm(mallory.client, aliceName, [
    { type: "meshagent.agent.thread.listed", source_message_id: listRequest.message_id, threads: huge, total: 1e5 },
    { payload: { type: "meshagent.agent.thread.listed", source_message_id: "unasked", threads: huge } },
  ]);
  // Into Bob's chat with the demo agent: from the impostor, the poser and Mallory.
  const intoBob = [
    ...hostileTurnEvents(17, 60, [bobThread.id]),
    { type: "meshagent.agent.thread.cleared", thread_id: bobThread.id },
    {
      type: "meshagent.agent.text_content.delta",
      thread_id: bobThread.id,
      turn_id: "injected",
      item_id: "injected",
      text: "INJECTED",
    },
  ];
  for (const client of [impostor.client, poser, mallory.client]) await dm(client, bobName, intoBob);

  // The tab answers: a click, a turn with the hostile agent, the room chat.
  const clicked = Date.now();
  await alice.page.getByTestId("agent-item").filter({ hasText: assistant }).click();
  await expect(alice.page.getByTestId("agent-thread")).toHaveAttribute("data-agent", assistant);
  const clickSeconds = (Date.now() - clicked) / 1000;
  await alice.page.getByTestId("agent-item").filter({ hasText: mallory.name }).click();
  await expect(alice.page.getByTestId("turn-cut").first()).toBeVisible();
  // The list stays capped (the flood may have deleted or added a few), the 100,000 never arrived.
  const listed = await alice.page.getByTestId("thread-item").count();
  expect(listed).toBeLessThanOrEqual(TURN_STORE_LIMITS.listedThreads);
  expect(listed).toBeGreaterThan(TURN_STORE_LIMITS.listedThreads - 10);
  await expect(alice.page.getByTestId("thread-list")).not.toContainText("huge");
  await ask(alice.page, mallory.name, "still fine?");
  await expect(alice.page.getByTestId("agent-answer").filter({ hasText: "echo: still fine?" })).toHaveCount(1);
  await alice.page.getByRole("tab", { name: "Room chat" }).click();
  await alice.send(`alice ${run} after the flood`);
  await bob.page.getByRole("tab", { name: "Room chat" }).click();
  await expect(bob.messages().last()).toContainText(`alice ${run} after the flood`);
  await alice.expectLive();
  await bob.expectLive();

  const heapAfter = await heapMiB(alice.page);
  console.log(
    `Alice's JS heap: ${heapBefore.toFixed(1)} MiB before the flood, ${heapAfter.toFixed(1)} MiB after; ` +
      `her first click after the flood answered in ${clickSeconds.toFixed(1)} s`,
  );
  expect(heapAfter - heapBefore).toBeLessThan(HEAP_GROWTH_CAP_MIB);

  // Bob's chat is as the demo agent left it, and the impostors are not listed.
  await bob.page.getByRole("tab", { name: "Agents" }).click();
  await expect(bob.page.getByTestId("agent-thread")).toHaveAttribute("data-agent", assistant);
  expect(await bob.page.getByTestId("agent-thread").innerText()).toBe(bobBefore);
  await expect(bob.page.getByTestId("agent-item")).toHaveText([assistant, mallory.name]);
  expect(errors).toEqual([]);

  poser.dispose();
  impostor.leave();
  mallory.leave();
  await alice.page.context().close();
  await bob.page.context().close();
});
