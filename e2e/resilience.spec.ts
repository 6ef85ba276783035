import type { Page } from "@playwright/test";
import { expect, newSignedInPage, RoomPage, test, signInDirectly } from "./fixtures";

/** Count the page's calls to the credentials route, by status. */
function countCredentialCalls(page: Page) {
  const statuses: number[] = [];
  page.on("response", (response) => {
    if (new URL(response.url()).pathname === "/api/room-connection") statuses.push(response.status());
  });
  return statuses;
}

test("reconnects by itself with fresh credentials after the room server restarts, and chat works again", async ({
  browser,
  roomServer,
}) => {
  const alice = new RoomPage(await newSignedInPage(browser, "Alice"));
  const bob = new RoomPage(await newSignedInPage(browser, "Bob"));
  const aliceCalls = countCredentialCalls(alice.page);

  await alice.open("resilience");
  await bob.open("resilience");
  await alice.expectLive();
  await bob.expectLive();
  await alice.send("before the outage");
  await expect(bob.messages().last()).toContainText("before the outage");
  // The first credentials came with the page itself (minted by its server component).
  expect(aliceCalls).toEqual([]);

  await roomServer.stop();
  await expect(alice.page.getByTestId("room-reconnecting")).toBeVisible({ timeout: 2_000 });
  await expect(alice.page.getByTestId("reconnect-status")).toContainText(/Reconnecting \(attempt \d+, next in \d+s\)/);

  // Written while disconnected: kept on screen and marked as not sent, never silently dropped.
  await alice.send("during the outage");
  await expect(alice.messages().last()).toHaveAttribute("data-status", "failed");
  await expect(alice.messages().last()).toContainText("Not sent");

  await roomServer.restart();
  await expect(alice.page.locator('[data-connection="live"]')).toBeVisible({ timeout: 5_000 });
  await expect(bob.page.locator('[data-connection="live"]')).toBeVisible({ timeout: 5_000 });

  // Every later attempt asked the route for a new token.
  expect(aliceCalls.length).toBeGreaterThan(0);
  expect(aliceCalls.every((status) => status === 200)).toBe(true);

  // History survived the reconnect, and chat flows again both ways.
  await expect(alice.messages().first()).toContainText("before the outage");
  await expect(alice.participants()).toHaveText(["Bob"]);
  await bob.send("after the restart");
  await expect(alice.messages().last()).toContainText("after the restart");
  await alice.send("welcome back");
  await expect(bob.messages().last()).toContainText("welcome back");

  await alice.page.context().close();
  await bob.page.context().close();
});

test("'Retry now' reconnects at once instead of waiting for the backoff", async ({ page, roomPage, roomServer }) => {
  await signInDirectly(page.context(), "Impatient");
  await roomPage.open("resilience");
  await roomPage.expectLive();

  await roomServer.stop();
  await expect(page.getByTestId("room-reconnecting")).toBeVisible({ timeout: 2_000 });
  // Let attempts fail until the next automatic one is at least 8 s away (attempt 5 waits 4-8 s, attempt 6 8-16 s),
  // so restarting the room (slow on a loaded machine) cannot race the backoff timer and reconnect on its own.
  const status = page.getByTestId("reconnect-status");
  await expect(status).toContainText(/next in (?:[89]|\d\d)s/, { timeout: 30_000 });
  await roomServer.restart();
  const secondsLeft = Number(/next in (\d+)s/.exec((await status.textContent()) ?? "")?.[1]);
  expect(secondsLeft, "the automatic retry is still ahead, so only the button can reconnect in time").toBeGreaterThan(
    2,
  );
  await page.getByRole("button", { name: "Retry now" }).click();
  await expect(page.locator('[data-connection="live"]')).toBeVisible({ timeout: 2_000 });
});

test("a room the route refuses (403) shows its final failure view and is never retried", async ({ page, roomPage }) => {
  await signInDirectly(page.context(), "Eve");
  const calls = countCredentialCalls(page);
  await roomPage.open("not-on-the-list");
  await expect(roomPage.failure()).toHaveAttribute("data-kind", "forbidden");
  await expect(page.getByRole("button", { name: "Retry now" })).toHaveCount(0);
  await page.waitForTimeout(3_000);
  expect(calls).toEqual([403]);
});

test("a session that ended (401 on reconnect) asks to sign in again, with no retry loop", async ({
  page,
  roomPage,
  roomServer,
}) => {
  await signInDirectly(page.context(), "Sleepy");
  const calls = countCredentialCalls(page);
  await roomPage.open("resilience");
  await roomPage.expectLive();

  await page.context().clearCookies(); // the session is gone (expired, signed out elsewhere)
  await roomServer.restart(); // drops the socket: the page tries to reconnect

  await expect(roomPage.failure()).toHaveAttribute("data-kind", "signed_out");
  const signInLink = page.getByRole("link", { name: "Sign in again" });
  await expect(signInLink).toHaveAttribute("href", "/signin?callbackUrl=%2Frooms%2Fresilience");
  await page.waitForTimeout(3_000);
  // The first connection came with the page; the reconnect asked once and stopped.
  expect(calls).toEqual([401]);
});

test("leaving the room or switching rooms closes the socket", async ({ page, roomPage, roomServer }) => {
  await signInDirectly(page.context(), "Wanderer");
  const socketsOf = (room: string) =>
    (roomServer.server().stats().rooms[room] ?? []).filter((participant) => participant.name === "Wanderer").length;

  await roomPage.open("switch-a");
  await roomPage.expectLive();
  expect(socketsOf("switch-a")).toBe(1);

  // Client-side navigation to another room: the old connection is disposed.
  await page.getByRole("link", { name: "MeshAgent Starter" }).click();
  await expect.poll(() => socketsOf("switch-a")).toBe(0);
  await page.getByLabel("Or open any room").fill("switch-b");
  await page.getByRole("button", { name: "Open" }).click();
  await roomPage.expectLive();
  expect(socketsOf("switch-b")).toBe(1);
  expect(socketsOf("switch-a")).toBe(0);
});

test("offline: waits for the network instead of burning attempts, reconnects when it is back", async ({
  page,
  roomPage,
  roomServer,
}) => {
  await signInDirectly(page.context(), "Roamer");
  await roomPage.open("resilience");
  await roomPage.expectLive();

  await page.context().setOffline(true);
  await roomServer.restart(); // the socket drops while the browser is offline
  await expect(page.getByTestId("reconnect-status")).toHaveText("Waiting for the network to come back…");

  await page.context().setOffline(false);
  await expect(page.locator('[data-connection="live"]')).toBeVisible({ timeout: 3_000 });
});
