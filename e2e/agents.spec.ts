import type { Page } from "@playwright/test";
import { DEMO_AGENT_ROOM, expect, test } from "./agent-fixtures";
import { seriousViolations } from "./axe";
import { newSignedInPage, RoomPage, signInDirectly } from "./fixtures";
import { ScriptedAgent } from "./scripted-agent";

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

test("the demo agent over the turn protocol, two people: streamed answers, their own chats, Stop, steer, a file, ui tools, rename, new chat, delete, history after a reload", async ({
  browser,
  demoAgent,
}) => {
  test.setTimeout(240_000);
  const run = Math.random().toString(36).slice(2, 6);
  const alice = await person(browser, `Alice ${run}`, DEMO_AGENT_ROOM);
  const bob = await person(browser, `Bob ${run}`, DEMO_AGENT_ROOM);
  const page = alice.roomPage.page;
  const name = demoAgent.agentName;
  const answers = () => page.getByTestId("agent-answer");
  const threads = () => page.getByTestId("thread-item");

  const agentEntry = page.locator('[data-testid="participant"][data-role="agent"]');
  await expect(agentEntry).toContainText(name);
  await alice.agents.open();
  await expect(alice.agents.agents()).toHaveText([name]);
  await expect(page.getByTestId("agent-thread")).toHaveAttribute("data-protocol", "turn");
  await expect(page.getByTestId("agent-thread")).toContainText(`Chat with ${name}`);

  // A long markdown answer: text on screen while the turn still streams, then a table and code.
  await alice.agents.ask(name, "markdown");
  await expect(answers().last()).toHaveAttribute("data-done", "false");
  await expect(answers().last()).not.toHaveText(/^\s*$/);
  await expect(answers().last()).toHaveAttribute("data-done", "true", { timeout: 20_000 });
  await expect(answers().last().getByRole("table")).toBeVisible();
  await expect(answers().last().getByRole("button", { name: "Copy Code" }).first()).toBeVisible();
  // The ts block is highlighted, by Shiki in its worker: tokens in several colours (a plain block has one at most).
  const tokenColours = () =>
    answers()
      .last()
      .locator("pre")
      .first()
      .evaluate(
        (pre) => new Set([...pre.querySelectorAll("span")].map((s) => s.style.getPropertyValue("--sdm-c"))).size,
      );
  await expect.poll(tokenColours).toBeGreaterThanOrEqual(4);
  await expect(threads()).toHaveCount(1);

  // Bob's chats are his own.
  await bob.agents.open();
  await expect(bob.roomPage.page.getByTestId("agent-thread")).toContainText("No chats yet.");

  // Stop a slow turn; steer another.
  await alice.agents.ask(name, "slow");
  await expect(page.getByTestId("agent-status")).toContainText("Counting slowly");
  await page.getByRole("button", { name: "Stop" }).click();
  await expect(page.getByTestId("turn-stopped").last()).toBeVisible();
  await alice.agents.ask(name, "slow");
  await expect(page.getByRole("button", { name: "Steer" })).toBeVisible();
  await alice.agents.ask(name, "stop at two");
  await expect(answers().last()).toContainText("Steered by");

  // A file: picked, uploaded to the room, answered with its name and size.
  await page
    .getByTestId("agent-thread")
    .getByTestId("attach-input")
    .setInputFiles({
      name: "notes.txt",
      mimeType: "text/plain",
      buffer: Buffer.from("twelve bytes"),
    });
  await expect(page.getByTestId("agent-thread").getByTestId("pending-attachment")).toHaveAttribute(
    "data-status",
    "ready",
  );
  await alice.agents.ask(name, "what is this file?");
  await expect(answers().last()).toContainText("notes.txt");
  await expect(answers().last()).toContainText("12 bytes");

  // The ui tools, offered with each turn: a form and a toast.
  await alice.agents.ask(name, "ask me Which city?");
  const dialog = page.getByRole("dialog", { name: "Which city?" });
  await expect(dialog).toContainText(`${name} asks`);
  await dialog.getByLabel("Which city?").fill("Lisbon");
  await dialog.getByRole("button", { name: "Submit" }).click();
  await expect(answers().last()).toContainText("You answered");
  await expect(answers().last()).toContainText("Lisbon");
  await alice.agents.ask(name, "toast the build is green");
  await expect(page.getByRole("status").filter({ hasText: "the build is green" })).toBeVisible();

  // Rename, a new chat, history after a reload, delete.
  const first = (await threads().first().textContent())!.trim();
  await page.getByRole("button", { name: `Rename ${first}` }).click();
  await page.getByLabel(`New name for ${first}`).fill(`Plan ${run}`);
  await page.getByRole("button", { name: "Save" }).click();
  await expect(threads()).toHaveText([`Plan ${run}`]);
  await page.getByRole("button", { name: "New chat" }).click();
  await alice.agents.ask(name, "ping");
  await expect(answers().last()).toContainText("pong");
  await expect(threads()).toHaveCount(2);

  await page.reload();
  await alice.roomPage.expectLive();
  await alice.agents.open();
  await threads()
    .filter({ hasText: `Plan ${run}` })
    .click();
  await expect(answers().first().getByRole("table")).toBeVisible();
  await expect(page.getByTestId("turn-stopped")).toHaveCount(1);
  await page.getByRole("button", { name: `Delete Plan ${run}` }).click();
  await expect(threads()).toHaveCount(1);

  await page.context().close();
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
    test.setTimeout(90_000);
    const room = "agents-custom";
    const context = await browser.newContext({ colorScheme });
    const page = await context.newPage();
    await signInDirectly(page.context(), "Axe");
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
