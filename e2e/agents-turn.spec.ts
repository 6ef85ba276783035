import type { Page } from "@playwright/test";
import { seriousViolations } from "./axe";
import { expect, newSignedInPage, RoomPage, test, signInDirectly } from "./fixtures";
import { ApiScope, ParticipantToken, type JsonContent } from "@meshagent/meshagent";
import { ROOM_SECRET } from "./env";
import { joinWithSdk } from "./sdk-client";
import { ScriptedTurnAgent } from "./scripted-turn-agent";

/** The Agents tab with a turn-protocol agent, as one person sees it. */
class TurnTab {
  constructor(readonly page: Page) {}

  async open() {
    await this.page.getByRole("tab", { name: "Agents" }).click();
  }

  threads() {
    return this.page.getByTestId("thread-item");
  }

  answers() {
    return this.page.getByTestId("agent-answer");
  }

  turns() {
    return this.page.getByTestId("agent-turn");
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

test("a scripted turn-protocol agent: streamed answers, errors, Stop, steer, tools, approvals, safe markdown, and its chats listed, renamed, reopened and deleted", async ({
  browser,
}) => {
  test.setTimeout(300_000);
  const room = "agents-turn";
  const page = await newSignedInPage(browser, "Alice");
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  const roomPage = new RoomPage(page);
  await roomPage.open(room);
  await roomPage.expectLive();
  const tab = new TurnTab(page);
  await tab.open();

  const bot = new ScriptedTurnAgent(room, "turn-bot");
  await bot.join({ empty_state_title: "What shall we plan?" });
  await expect(page.getByTestId("agent-item")).toHaveText(["turn-bot"]);
  await expect(page.getByTestId("agent-thread")).toHaveAttribute("data-protocol", "turn");
  await expect(page.getByTestId("agent-thread")).toContainText("What shall we plan?");
  await expect(page.getByTestId("agent-thread")).toContainText("No chats yet.");
  await expect.poll(() => bot.requests("thread.watch").length).toBeGreaterThanOrEqual(1);

  // A new chat: thread.start with the first message; the answer is on screen before the turn ends.
  await tab.ask("turn-bot", "stream 60");
  await expect(tab.threads()).toHaveText(["stream 60"]);
  await expect(page.getByTestId("agent-commentary")).toContainText("Looking it up.");
  await expect(tab.answers().last()).toContainText("word2");
  await expect(tab.answers().last()).toHaveAttribute("data-done", "false");
  expect(await tab.answers().last().textContent()).not.toContain("word60");
  await expect(tab.status()).toContainText(/turn-bot: Thinking · \d+ s/);
  await expect(tab.answers().last()).toContainText("word60", { timeout: 30_000 });
  await expect(tab.answers().last()).toHaveAttribute("data-done", "true");
  await expect(tab.status()).toHaveCount(0);
  await expect(page.getByTestId("agent-usage")).toContainText("Tokens: 100 in · 20 out · context 120 of 1,000");
  const [start] = bot.requests("thread.start");
  expect(start).toMatchObject({ content: [{ type: "text", text: "stream 60" }] });

  // Errors in plain words: a refused turn and a failed one.
  await tab.ask("turn-bot", "reject");
  await expect(tab.turns().last()).toContainText("The agent does not know the model it was asked for.");
  await tab.ask("turn-bot", "fail");
  await expect(page.getByTestId("turn-error").last()).toHaveText(
    "The agent ran into a problem: ModelError: the model is down",
  );

  // Stop sends turn.interrupt with the running turn's id.
  await tab.ask("turn-bot", "stream 200");
  await expect(tab.answers().last()).toContainText("word2");
  await page.getByRole("button", { name: "Stop" }).click();
  await expect(page.getByTestId("turn-stopped").last()).toBeVisible();
  await expect(tab.status()).toHaveCount(0);
  expect(await tab.answers().last().textContent()).not.toContain("word200");
  const [interrupt] = bot.requests("turn.interrupt");
  expect(interrupt).toMatchObject({ turn_id: expect.stringMatching(/^turn-/) });

  // Steer: what is typed while the agent is steerable joins the running turn.
  await tab.ask("turn-bot", "stream 300");
  await expect(tab.answers().last()).toContainText("word3");
  await expect(page.getByRole("button", { name: "Steer" })).toBeVisible();
  await tab.ask("turn-bot", "shorter please");
  await expect(tab.answers().last()).toContainText("(steered: shorter please)");
  await expect(tab.turns().last()).toContainText("shorter please");
  expect(bot.requests("turn.steer")).toEqual([
    expect.objectContaining({ content: [{ type: "text", text: "shorter please" }] }),
  ]);
  expect(
    bot.requests("turn.start").map((request) => ("content" in request ? request.content : null)),
  ).not.toContainEqual([{ type: "text", text: "shorter please" }]);
  await page.getByRole("button", { name: "Stop" }).click();
  await expect(tab.status()).toHaveCount(0);

  // A tool call with log lines: open while running, collapsed once it ended.
  bot.holdTools();
  await tab.ask("turn-bot", "tool");
  const call = page.getByTestId("tool-call").last();
  await expect(call).toContainText("storage › count_words");
  await expect(call.getByTestId("tool-call-log")).toContainText("reading a.txt");
  await expect(call.getByTestId("tool-call-log")).toContainText("warning: big file");
  await expect(call).toHaveAttribute("data-state", "running");
  await expect(call).toHaveAttribute("open", "");
  bot.finishTool();
  await expect(call).toHaveAttribute("data-state", "ended");
  await expect(call).not.toHaveAttribute("open", "");
  await expect(call.getByTestId("tool-call-state")).toHaveText("Done");
  await call.locator("summary").click();
  await expect(call).toContainText('"words": 42');

  // Approvals: Approve sends tool_call.approve with the item id.
  await tab.ask("turn-bot", "approve");
  await expect(page.getByTestId("tool-call").last()).toContainText("Waiting for your approval");
  await page.getByRole("button", { name: "Approve" }).click();
  await expect(tab.answers().last()).toContainText("Deleted it.");
  expect(bot.requests("tool_call.approve")).toEqual([expect.objectContaining({ item_id: "call-2" })]);

  // Client tools offered with the turn: a form (answered once), a toast, a room file in the viewer.
  await tab.ask("turn-bot", "ask");
  const form = page.getByRole("dialog", { name: "Your trip" });
  await expect(form).toContainText("turn-bot asks");
  await form.getByLabel("Which city?").fill("Lisbon");
  await form.getByLabel("Book a hotel").check();
  await form.getByRole("button", { name: "Submit" }).click();
  await expect(form).toHaveCount(0);
  await expect(tab.answers().last()).toContainText(
    'Client answered: {"type":"json","json":{"city":"Lisbon","hotel":true}}',
  );
  expect(bot.requests("client_tool_call.response")).toHaveLength(1);
  expect(bot.requests("turn.start").at(-1)).toMatchObject({
    client_toolkits: expect.arrayContaining([expect.objectContaining({ name: "ask_user" })]),
  });
  await tab.ask("turn-bot", "ask");
  await page.getByRole("dialog", { name: "Your trip" }).getByRole("button", { name: "Cancel" }).click();
  await expect(tab.answers().last()).toContainText("cancelled by the user");
  await tab.ask("turn-bot", "toast");
  await expect(page.getByRole("status").filter({ hasText: "Heads up" })).toContainText("The build finished.");
  await page
    .getByTestId("agent-thread")
    .getByTestId("attach-input")
    .setInputFiles({
      name: "readme.txt",
      mimeType: "text/plain",
      buffer: Buffer.from("hello from a room file"),
    });
  await expect(page.getByTestId("agent-thread").getByTestId("pending-attachment")).toHaveAttribute(
    "data-status",
    "ready",
  );
  await tab.ask("turn-bot", "here is a file");
  const sentFile = bot
    .requests("turn.start")
    .flatMap((request) => ("content" in request && request.content ? request.content : []))
    .flatMap((item) => (item.type === "file" ? [item] : []))[0];
  expect(sentFile).toMatchObject({
    type: "file",
    url: expect.stringMatching(/^room:\/\/\/files\/.+\/readme\.txt$/),
    name: "readme.txt",
  });
  await expect(tab.turns().last().getByTestId("room-file")).toContainText("readme.txt");
  await tab.ask("turn-bot", `show ${sentFile!.url.replace("room:///", "")}`);
  const viewer = page.getByRole("dialog", { name: "readme.txt" });
  await expect(viewer.getByTestId("document-text")).toHaveText("hello from a room file");
  await viewer.getByRole("button", { name: "Close" }).click();

  // Hostile markdown: no script, no javascript: link, no image before a click.
  const imageRequests: string[] = [];
  page.on("request", (request) => {
    if (request.url().includes("pixel.png")) imageRequests.push(request.url());
  });
  await page.route("**/pixel.png", (route) => route.fulfill({ status: 204 }));
  await tab.ask(
    "turn-bot",
    [
      "raw ## Plan",
      "[evil](javascript:window.__pwned=1) and [docs](https://example.com/docs)",
      "![pixel](http://127.0.0.1:9/pixel.png)",
      '<img src="http://127.0.0.1:9/pixel.png" onerror="window.__pwned=1">',
      "```js",
      "const a = 1;",
      "```",
    ].join("\n"),
  );
  const answer = tab.answers().last();
  await expect(answer.getByRole("heading", { name: "Plan" })).toBeVisible();
  await expect(answer.getByRole("link", { name: "docs" })).toHaveAttribute("rel", "noopener noreferrer");
  await expect(answer.getByRole("link", { name: "docs" })).toHaveAttribute("target", "_blank");
  await expect(answer.getByRole("link", { name: "evil" })).toHaveCount(0);
  await expect(answer.getByRole("button", { name: "Copy Code" })).toBeVisible();
  await expect(answer.locator("img")).toHaveCount(0);
  expect(imageRequests).toEqual([]);
  await answer.getByRole("button", { name: /Load image “pixel” from 127\.0\.0\.1:9/ }).click();
  await expect.poll(() => imageRequests.length).toBe(1);
  expect(await page.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined();

  // Rename, a second chat, reopen the first after a reload (its history replayed), delete.
  await page.getByRole("button", { name: "Rename stream 60" }).click();
  await page.getByLabel("New name for stream 60").fill("Trip plan");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(tab.threads()).toHaveText(["Trip plan"]);
  expect(bot.requests("thread.rename")).toEqual([expect.objectContaining({ name: "Trip plan" })]);
  await page.getByRole("button", { name: "New chat" }).click();
  await expect(page.getByTestId("thread-title")).toHaveText("New chat");
  await tab.ask("turn-bot", "hello there");
  await expect(tab.answers().last()).toHaveText(/echo: hello there/);
  await expect(tab.threads()).toHaveText(["hello there", "Trip plan"]);

  await page.reload();
  await roomPage.expectLive();
  await tab.open();
  await expect(tab.threads()).toHaveText(["hello there", "Trip plan"]);
  await tab.threads().filter({ hasText: "Trip plan" }).click();
  await expect(tab.answers().first()).toContainText("word60");
  // Both turns stopped above (the plain one and the steered one) come back stopped in the replay.
  await expect(page.getByTestId("turn-stopped")).toHaveCount(2);
  expect(bot.requests("thread.open").at(-1)).toMatchObject({ load: true });
  await page.getByRole("button", { name: "Delete Trip plan" }).click();
  await expect(tab.threads()).toHaveText(["hello there"]);
  await expect(page.getByTestId("thread-title")).toHaveText("New chat");

  expect(errors).toEqual([]);
  bot.leave();
  await page.context().close();
});

test("a hostile agent's turn-protocol events cannot crash or freeze the page, or write into a thread it was not asked about", async ({
  browser,
}) => {
  test.setTimeout(180_000);
  const room = "agents-turn-fuzz";
  const page = await newSignedInPage(browser, "Alice");
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  const roomPage = new RoomPage(page);
  await roomPage.open(room);
  await roomPage.expectLive();
  const tab = new TurnTab(page);
  await tab.open();
  const bot = new ScriptedTurnAgent(room, "mallory-bot");
  await bot.join();
  await tab.ask("mallory-bot", "stream 2");
  await expect(tab.answers().last()).toContainText("word2");
  const thread = bot.threads[0].path;
  const aliceId = bot.client.messaging.remoteParticipants.find((p) => p.getAttribute("name") === "Alice")!.id;
  const T = { thread_id: thread, turn_id: "evil" };
  // The room may refuse the biggest of these; the page must hold either way.
  const send = (message: Record<string, unknown>) => bot.sendRaw(aliceId, message).catch(() => undefined);

  // Malformed, unknown, out of order, duplicated, oversized, and for threads Alice never opened.
  for (const junk of [null, 1, "x", [], { type: 5 }, { type: "meshagent.agent.nope" }, { payload: { type: {} } }])
    await send({ junk } as Record<string, unknown>);
  await send({ type: "meshagent.agent.text_content.delta", ...T, item_id: "i", text: { toString: 1 } });
  await send({
    type: "meshagent.agent.text_content.delta",
    thread_id: "someone-elses",
    turn_id: "t",
    item_id: "i",
    text: "INJECTED",
  });
  const big = "A".repeat(60_000);
  // 3 MB here (the reducer's unit test takes 10 MB): the stream must be cut, the page stay responsive.
  for (let i = 0; i < 50; i++)
    await send({ type: "meshagent.agent.text_content.delta", ...T, item_id: "flood", text: big, message_id: `f${i}` });
  await send({
    type: "meshagent.agent.thread.listed",
    source_message_id: "never-asked",
    threads: Array.from({ length: 100_000 }, (_, i) => ({ path: `p${i}`, name: `spam ${i}` })),
    total: 100_000,
    offset: 0,
    limit: 200,
  });
  for (let i = 0; i < 3; i++)
    await send({ type: "meshagent.agent.text_content.delta", ...T, item_id: "dup", text: "once ", message_id: "same" });
  await send({ type: "meshagent.agent.turn.ended", ...T });

  await expect(page.getByTestId("agent-answer").filter({ hasText: "once" })).toHaveText(/^mallory-bot\s*once\s*$/);
  await expect(page.getByTestId("agent-thread")).not.toContainText("INJECTED");
  await expect(page.getByTestId("agent-thread")).not.toContainText("spam");
  await expect(page.getByText("(cut: the answer was too long)")).toBeVisible();
  // Still responsive: a normal turn works afterwards.
  await tab.ask("mallory-bot", "still fine?");
  await expect(tab.answers().last()).toContainText("echo: still fine?");
  await expect(page.getByTestId("feature-failed")).toHaveCount(0);
  expect(errors).toEqual([]);
  bot.leave();
  await page.context().close();
});

test("a scripted agent calls the browser's private ui toolkit through room toolkits (not the turn protocol)", async ({
  browser,
}) => {
  test.setTimeout(90_000);
  const room = "agents-turn";
  const page = await newSignedInPage(browser, "Carol");
  const roomPage = new RoomPage(page);
  await roomPage.open(room);
  await roomPage.expectLive();
  // An agent whose token grants calling participants' tools (agents.use_tools), as a `--require-toolkit ui` agent's does.
  const token = new ParticipantToken({ name: "ui-caller" });
  token.addRoomGrant(room);
  token.addRoleGrant("agent");
  token.addApiGrant(ApiScope.agentDefault());
  const bot = await joinWithSdk(room, await token.toJwt({ token: ROOM_SECRET! }));
  await expect
    .poll(() => bot.client.messaging.remoteParticipants.some((p) => p.getAttribute("name") === "Carol"))
    .toBe(true);
  const carolId = bot.client.messaging.remoteParticipants.find((p) => p.getAttribute("name") === "Carol")!.id;

  // Private: listed when asked for Carol's toolkits, callable by naming her.
  await expect
    .poll(async () => (await bot.client.agents.listToolkits({ participantId: carolId })).map((t) => t.name))
    .toContain("ui");
  expect((await bot.client.agents.listToolkits()).map((t) => t.name)).not.toContain("ui");

  const call = (tool: string, args: Record<string, unknown>) =>
    bot.client.invoke({ toolkit: "ui", tool, arguments: args, participantId: carolId });
  await call("show_toast", { title: "From the room", description: "a toolkit call" });
  await expect(page.getByRole("status").filter({ hasText: "From the room" })).toContainText("From ui-caller");

  const answer = call("ask_user", {
    subject: "<b>Pick</b> one",
    help: "<script>window.__pwned=1</script>",
    form: [
      {
        radio_group: {
          name: "color",
          description: "Favourite colour",
          default_value: "red",
          options: [
            { name: "Red", value: "red" },
            { name: "Blue", value: "blue" },
          ],
        },
      },
      {
        select: {
          name: "size",
          description: "Size",
          options: [
            { name: "S", value: "s" },
            { name: "L", value: "l" },
          ],
        },
      },
    ],
  });
  const dialog = page.getByRole("dialog", { name: "<b>Pick</b> one" });
  await expect(dialog).toContainText("ui-caller asks");
  await expect(dialog).toContainText("<script>window.__pwned=1</script>");
  await dialog.getByLabel("Blue").check();
  await dialog.getByLabel("Size").selectOption("l");
  await dialog.getByRole("button", { name: "Submit" }).click();
  expect(((await answer) as JsonContent).json).toEqual({ color: "blue", size: "l" });

  const cancelled = call("ask_user", { subject: "Really?", form: [] }).then(
    () => "answered",
    (error: unknown) => String(error),
  );
  await page.getByRole("dialog", { name: "Really?" }).getByRole("button", { name: "Cancel" }).click();
  expect(await cancelled).toContain("cancelled by the user");
  expect(await page.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined();
  bot.client.dispose();
  await page.context().close();
});

for (const colorScheme of ["light", "dark"] as const) {
  test(`a turn-protocol chat has no serious accessibility violations (${colorScheme})`, async ({ browser }) => {
    test.setTimeout(180_000);
    const room = "agents-turn-a11y";
    const context = await browser.newContext({ colorScheme });
    const page = await context.newPage();
    await signInDirectly(page.context(), "Axe");
    const roomPage = new RoomPage(page);
    await roomPage.open(room);
    await roomPage.expectLive();
    const tab = new TurnTab(page);
    await tab.open();
    const bot = new ScriptedTurnAgent(room, `axe-bot-${colorScheme}`, 400);
    await bot.join();
    await tab.ask(
      bot.name,
      "raw # Heading\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n```ts\nconst x = 1;\n```\n\n[link](https://example.com) ![img](https://example.com/x.png)",
    );
    await expect(tab.answers().last()).toContainText("Heading");
    await tab.ask(bot.name, "tool");
    await expect(page.getByTestId("tool-call").last()).toHaveAttribute("data-state", "ended");
    await tab.ask(bot.name, "approve");
    await expect(page.getByRole("button", { name: "Approve" })).toBeVisible();
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByRole("button", { name: "Reject" }).click();
    await tab.ask(bot.name, "stream 40");
    await expect(tab.status()).toBeVisible();
    expect(await seriousViolations(page)).toEqual([]);
    bot.leave();
    await context.close();
  });
}
