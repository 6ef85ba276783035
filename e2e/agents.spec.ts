import type { Page } from "@playwright/test";
import { DEMO_AGENT_ROOM, expect, test } from "./agent-fixtures";
import { seriousViolations } from "./axe";
import { newSignedInPage, RoomPage, signIn } from "./fixtures";
import { ScriptedAgent } from "./scripted-agent";
import { joinWithSdk, userToken } from "./sdk-client";

/** The Agents tab of one person's room page. */
class AgentsTab {
  constructor(readonly page: Page) {}

  async open() {
    await this.page.getByRole("tab", { name: "Agents" }).click();
  }

  agents() {
    return this.page.getByTestId("agent-item");
  }

  /** Messages in the open thread, theirs and ours. */
  messages() {
    return this.page.getByTestId("agent-message");
  }

  replies() {
    return this.page.locator('[data-testid="agent-message"][data-own="false"] [data-testid="chat-bubble"]');
  }

  status() {
    return this.page.getByTestId("agent-status");
  }

  async ask(agentName: string, text: string) {
    const input = this.page.getByLabel(`Write to ${agentName}`);
    await input.fill(text);
    await input.press("Enter");
  }
}

async function person(browser: Parameters<typeof newSignedInPage>[0], name: string, room: string) {
  const roomPage = new RoomPage(await newSignedInPage(browser, name));
  await roomPage.open(room);
  await roomPage.expectLive();
  return { roomPage, agents: new AgentsTab(roomPage.page) };
}

test("the demo agent: listed as an agent, answers each person in their own thread, room chat uses its own type, all of it survives a room-server restart", async ({
  browser,
  roomServer,
  demoAgent,
}) => {
  test.setTimeout(90_000);
  // The agent outlives a test (it is the worker's) and greets each person's thread once: fresh names per run.
  const run = Math.random().toString(36).slice(2, 6);
  // A real SDK client in the room, listening to everything the pages send to everyone.
  const observer = await joinWithSdk(DEMO_AGENT_ROOM, await userToken(DEMO_AGENT_ROOM, "Observer"));
  const alice = await person(browser, `Alice ${run}`, DEMO_AGENT_ROOM);
  const bob = await person(browser, `Bob ${run}`, DEMO_AGENT_ROOM);

  const agentEntry = alice.roomPage.page.locator('[data-testid="participant"][data-role="agent"]');
  await expect(agentEntry).toContainText(demoAgent.agentName);
  await expect(agentEntry).toContainText("agent");

  await alice.agents.open();
  await expect(alice.agents.agents()).toHaveText([demoAgent.agentName]);
  await expect(alice.agents.replies().first()).toContainText(`Hi Alice ${run}!`);

  const sentAt = Date.now();
  await alice.agents.ask(demoAgent.agentName, "ping");
  await expect(alice.agents.status()).toContainText("Thinking");
  await expect(alice.roomPage.page.getByRole("button", { name: "Stop" })).toBeVisible();
  await expect(alice.agents.replies().last()).toHaveText(/pong/);
  expect(Date.now() - sentAt).toBeLessThan(3000);
  await expect(alice.agents.status()).toHaveCount(0);

  // Bob opens it from "Who is here". His thread is his own: his greeting, none of Alice's words.
  await bob.roomPage.page.getByTestId("participant-list").getByRole("button", { name: demoAgent.agentName }).click();
  await expect(bob.roomPage.page.getByRole("tab", { name: "Agents" })).toHaveAttribute("aria-selected", "true");
  await expect(bob.agents.replies().first()).toContainText(`Hi Bob ${run}!`);
  await bob.agents.ask(demoAgent.agentName, "who");
  await expect(bob.agents.replies().last()).toContainText("Alice");
  await expect(bob.agents.messages()).toHaveText([/Hi Bob \w+!/, /who/, /Alice/]);
  await expect(alice.agents.messages()).toHaveCount(3);

  // Room chat between the two still works, under MeshAgent's room-chat type.
  await alice.roomPage.page.getByRole("tab", { name: "Room chat" }).click();
  await bob.roomPage.page.getByRole("tab", { name: "Room chat" }).click();
  await alice.roomPage.send("Hello Bob");
  await expect(bob.roomPage.messages().last()).toContainText("Hello Bob");
  await expect
    .poll(() => observer.seen.filter((m) => m.type === "meshagent.room-chat.message").map((m) => m.message.text))
    .toEqual(["Hello Bob"]);
  // Nothing in the room ever saw a `chat` broadcast: that type only goes to an agent, directly.
  expect(observer.seen.filter((m) => m.type === "chat")).toEqual([]);
  observer.client.dispose();

  await roomServer.restart();
  await alice.roomPage.expectLive();
  await bob.roomPage.expectLive();
  await expect(alice.roomPage.messages().last()).toContainText("Hello Bob");
  await expect(bob.roomPage.messages().last()).toContainText("Hello Bob");
  await alice.roomPage.page.getByRole("tab", { name: "Agents" }).click();
  await bob.roomPage.page.getByRole("tab", { name: "Agents" }).click();
  await expect(alice.agents.messages()).toHaveText([/Hi Alice \w+!/, /ping/, /pong/]);
  await expect(bob.agents.messages()).toHaveText([/Hi Bob \w+!/, /who/, /Alice/]);

  // The agent is back (it rejoins by itself), remembers the thread and answers again.
  await expect(agentEntry).toContainText(demoAgent.agentName, { timeout: 10_000 });
  await alice.agents.ask(demoAgent.agentName, "ping");
  await expect(alice.agents.replies()).toHaveText([/Hi Alice \w+!/, /pong/, /pong/]);

  await alice.roomPage.page.context().close();
  await bob.roomPage.page.context().close();
});

test("any agent that speaks the contract works: a scripted SDK participant with status, Stop, rejoin, and hostile replies ignored", async ({
  browser,
}) => {
  test.setTimeout(60_000);
  const room = "agents-custom";
  const alice = await person(browser, "Alice", room);
  const page = alice.roomPage.page;
  await alice.agents.open();
  await expect(page.getByTestId("agents-empty")).toContainText("npm run agent");
  await expect(page.getByTestId("agents-empty")).toContainText("meshagent chatbot join");

  const bot = new ScriptedAgent(room, "echo-bot");
  await bot.join();
  await expect(alice.agents.agents()).toHaveText(["echo-bot"]);
  await expect(alice.agents.replies().first()).toHaveText("Hello from echo-bot");
  const path = ".threads/echo-bot/Alice.thread";
  expect(bot.received("opened").map((m) => m.message)).toEqual([{ path }]);

  // Typing is announced, at most about once a second.
  await page.getByLabel("Write to echo-bot").pressSequentially("first question", { delay: 120 });
  await page.getByLabel("Write to echo-bot").press("Enter");
  await expect(alice.agents.status()).toHaveText("echo-bot: Pondering");
  await expect(alice.agents.replies().last()).toHaveText("echo: first question");
  await expect(alice.agents.status()).toHaveCount(0);
  expect(bot.received("chat").map((m) => m.message)).toEqual([
    { path, text: "first question", attachments: [], store: true },
  ]);
  const typing = bot.received("typing");
  expect(typing.length).toBeGreaterThanOrEqual(1);
  expect(typing.length).toBeLessThanOrEqual(3);
  expect(typing.every((m) => m.message.path === path)).toBe(true);

  // Stop while it works: the status goes, no reply comes.
  await alice.agents.ask("echo-bot", "second question");
  await expect(alice.agents.status()).toBeVisible();
  await page.getByRole("button", { name: "Stop" }).click();
  await expect(alice.agents.status()).toHaveCount(0);
  expect(bot.received("cancel").map((m) => m.message)).toEqual([{ path }]);
  await page.waitForTimeout(2000);
  await expect(alice.agents.replies()).toHaveCount(2);

  // Replies that are not ours, not well-formed or too long are ignored; the page keeps working.
  const aliceId = bot.client.messaging.remoteParticipants.find((p) => p.getAttribute("name") === "Alice")!.id;
  await bot.sendRaw(aliceId, { path: ".threads/echo-bot/Bob.thread", text: "not your thread" });
  await bot.sendRaw(aliceId, { path: ".threads/other-bot/Alice.thread", text: "not this agent" });
  await bot.sendRaw(aliceId, { path, text: 42 });
  await bot.sendRaw(aliceId, { path, text: "x".repeat(30_000) });
  await bot.sendRaw(aliceId, { path, text: "still here" });
  await expect(alice.agents.replies().last()).toHaveText("still here");
  await expect(alice.agents.replies()).toHaveCount(3);
  await expect(page.getByTestId("feature-failed")).toHaveCount(0);

  // The agent leaves and rejoins with a new id: the thread is kept and `opened` is sent to the new one.
  bot.leave();
  await expect(page.getByTestId("agent-thread")).toContainText("left the room");
  const again = new ScriptedAgent(room, "echo-bot");
  await again.join();
  await expect.poll(() => again.received("opened").map((m) => m.message)).toEqual([{ path }]);
  await expect(alice.agents.replies()).toHaveText([
    "Hello from echo-bot",
    "echo: first question",
    "still here",
    "Hello from echo-bot",
  ]);
  again.leave();
  await page.context().close();
});

for (const colorScheme of ["light", "dark"] as const) {
  test(`the Agents tab has no serious accessibility violations (${colorScheme})`, async ({ browser }) => {
    const room = "agents-custom";
    const context = await browser.newContext({ colorScheme });
    const page = await context.newPage();
    await signIn(page, "Axe");
    const roomPage = new RoomPage(page);
    await roomPage.open(room);
    await roomPage.expectLive();
    const agents = new AgentsTab(page);
    await agents.open();
    await expect(page.getByTestId("agents-empty")).toBeVisible();
    expect(await seriousViolations(page)).toEqual([]);

    const bot = new ScriptedAgent(room, "echo-bot", 5000);
    await bot.join();
    await expect(agents.replies()).toHaveCount(1);
    await agents.ask("echo-bot", "a long question\n".repeat(40));
    await expect(agents.status()).toBeVisible();
    await expect(page.getByRole("button", { name: "Show more" })).toBeVisible();
    expect(await seriousViolations(page)).toEqual([]);
    bot.leave();
    await context.close();
  });
}
