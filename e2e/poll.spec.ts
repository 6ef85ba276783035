import type { Page } from "@playwright/test";
import { expect, newSignedInPage, RoomPage, test } from "./fixtures";
import { seriousViolations } from "./axe";

// features/poll: the room's live poll, a room document, driven by people in browsers.

const ROOM = "poll";

async function openPoll(name: string, browser: Parameters<typeof newSignedInPage>[0], room = ROOM): Promise<Page> {
  const person = new RoomPage(await newSignedInPage(browser, name));
  await person.open(room);
  await person.expectLive();
  await person.page.getByRole("tab", { name: "Poll" }).click();
  return person.page;
}
const option = (page: Page, text: string) => page.getByRole("button", { name: text, exact: true });
/** Every option's row as "text N vote(s)", in order. */
const expectCounts = (page: Page, counts: [string, number][]) =>
  expect(page.getByTestId("poll-option")).toHaveText(
    counts.map(([text, n]) => new RegExp(`^${text}\\s*${n} ${n === 1 ? "vote" : "votes"}$`)),
  );
async function startPoll(page: Page, question: string, options: string[]) {
  await page.getByLabel("Question").fill(question);
  for (const [index, text] of options.entries()) await page.getByLabel(`Option ${index + 1}`).fill(text);
  await page.getByRole("button", { name: "Start poll" }).click();
}

test("a live poll: two people, two tabs of one, a vote change, a late joiner, the creator leaving, a room restart, a new poll", async ({
  browser,
  roomServer,
}) => {
  test.setTimeout(480_000);
  const alice = await openPoll("Alice", browser);
  const bob = await openPoll("Bob", browser);

  // At least two options: one is refused, with a reason, and nothing starts.
  await startPoll(alice, "Lunch?", ["Pizza"]);
  await expect(alice.getByRole("region", { name: "Poll" }).getByRole("alert")).toHaveText(
    "Write a question and at least two options.",
  );
  await startPoll(alice, "Lunch?", ["Pizza", "Sushi", "Tacos"]);
  await expect(bob.getByRole("heading", { name: "Lunch?" })).toBeVisible();
  await expectCounts(bob, [
    ["Pizza", 0],
    ["Sushi", 0],
    ["Tacos", 0],
  ]);

  // Votes are live for everyone; your own vote is pressed.
  await option(bob, "Pizza").click();
  await expect(option(bob, "Pizza")).toHaveAttribute("aria-pressed", "true");
  await expect(option(alice, "Pizza")).toHaveAttribute("aria-pressed", "false");
  await expectCounts(alice, [
    ["Pizza", 1],
    ["Sushi", 0],
    ["Tacos", 0],
  ]);

  // Alice votes in two tabs: one vote, moved by the second tab, shown pressed in both.
  await option(alice, "Sushi").click();
  const aliceTab2 = await alice.context().newPage();
  await aliceTab2.goto(`/rooms/${ROOM}`);
  await aliceTab2.getByRole("tab", { name: "Poll" }).click();
  await expect(option(aliceTab2, "Sushi")).toHaveAttribute("aria-pressed", "true");
  await option(aliceTab2, "Pizza").click();
  await expect(option(alice, "Pizza")).toHaveAttribute("aria-pressed", "true");
  await expect(option(alice, "Sushi")).toHaveAttribute("aria-pressed", "false");
  await expectCounts(bob, [
    ["Pizza", 2],
    ["Sushi", 0],
    ["Tacos", 0],
  ]);

  // Bob changes his vote: it moves.
  await option(bob, "Tacos").click();
  await expect(option(bob, "Pizza")).toHaveAttribute("aria-pressed", "false");
  await expectCounts(alice, [
    ["Pizza", 1],
    ["Sushi", 0],
    ["Tacos", 1],
  ]);

  // The creator leaves; a late joiner sees the poll and its counts, unchanged.
  await alice.context().close();
  const carol = await openPoll("Carol", browser);
  await expect(carol.getByRole("heading", { name: "Lunch?" })).toBeVisible();
  await expectCounts(carol, [
    ["Pizza", 1],
    ["Sushi", 0],
    ["Tacos", 1],
  ]);

  // The local room restarts: the poll comes back from the room, no vote doubled, voting goes on.
  await roomServer.restart();
  await new RoomPage(carol).expectLive();
  await new RoomPage(bob).expectLive();
  await expect(carol.getByRole("region", { name: "Poll" })).toHaveAttribute("data-phase", "ready");
  await expectCounts(carol, [
    ["Pizza", 1],
    ["Sushi", 0],
    ["Tacos", 1],
  ]);
  await option(carol, "Sushi").click();
  await expectCounts(bob, [
    ["Pizza", 1],
    ["Sushi", 1],
    ["Tacos", 1],
  ]);
  await expect(option(bob, "Tacos")).toHaveAttribute("aria-pressed", "true");

  // A new poll replaces the old one only after a confirmation.
  await startPoll(bob, "Dinner?", ["Soup", "Salad"]);
  const confirm = bob.getByRole("group", { name: "Replace the current poll?" });
  await confirm.getByRole("button", { name: "Cancel" }).click();
  await expect(carol.getByRole("heading", { name: "Lunch?" })).toBeVisible();
  await bob.getByRole("button", { name: "Start poll" }).click();
  await confirm.getByRole("button", { name: "Replace poll" }).click();
  await expect(carol.getByRole("heading", { name: "Dinner?" })).toBeVisible();
  await expectCounts(carol, [
    ["Soup", 0],
    ["Salad", 0],
  ]);
  await expect(carol.getByRole("heading", { name: "Lunch?" })).toHaveCount(0);
});

test("the poll has no serious accessibility problems, light and dark", async ({ browser }) => {
  test.setTimeout(240_000);
  const page = await openPoll("Dana", browser, "poll-a11y");
  await expect(page.getByRole("region", { name: "Poll" })).toHaveAttribute("data-phase", "ready");
  await startPoll(page, "Tea or coffee?", ["Tea", "Coffee"]);
  await option(page, "Tea").click();
  await expectCounts(page, [
    ["Tea", 1],
    ["Coffee", 0],
  ]);
  expect(await seriousViolations(page)).toEqual([]);
  await page.emulateMedia({ colorScheme: "dark" });
  expect(await seriousViolations(page)).toEqual([]);
});
