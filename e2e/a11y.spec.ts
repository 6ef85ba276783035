import type { Locator, Page, WebSocketRoute } from "@playwright/test";
import { seriousViolations } from "./axe";
import { expect, signIn, test, signInDirectly } from "./fixtures";

for (const colorScheme of ["light", "dark"] as const) {
  test.describe(`${colorScheme} colour scheme`, () => {
    test.use({ colorScheme });

    test("home and sign-in have no serious accessibility violations", async ({ page }) => {
      await page.goto("/signin");
      await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
      expect(await seriousViolations(page)).toEqual([]);
      await signIn(page, "Axe");
      await expect(page.getByRole("link", { name: /Join #/ })).toBeVisible();
      expect(await seriousViolations(page)).toEqual([]);
    });

    test("every room view has no serious accessibility violations", async ({ page, roomPage, roomServer }) => {
      await signInDirectly(page.context(), "Axe");

      // Connecting: hold the room's socket (answered by nobody) so the view stays put.
      const held: WebSocketRoute[] = [];
      await page.routeWebSocket(/\/rooms\//, (socket) => void held.push(socket));
      await roomPage.open("a11y");
      await expect(page.getByTestId("room-connecting")).toHaveAttribute("data-phase", "connecting");
      expect(await seriousViolations(page)).toEqual([]);
      // Let new sockets through, and drop the held one: the page retries and connects.
      await page.routeWebSocket(/\/rooms\//, (socket) => void socket.connectToServer());
      for (const socket of held) await socket.close();

      // Connected.
      await roomPage.expectLive();
      await roomPage.send("Checking contrast");
      await expect(roomPage.messages()).toHaveCount(1);
      expect(await seriousViolations(page)).toEqual([]);

      // Reconnecting.
      await roomServer.stop();
      await expect(page.getByTestId("room-reconnecting")).toBeVisible();
      expect(await seriousViolations(page)).toEqual([]);
      await roomServer.restart();
      await roomPage.expectLive();

      // Failed, still retrying: the room server is down when the page loads.
      await roomServer.stop();
      await page.reload();
      await expect(page.getByTestId("room-failed")).toContainText("Reconnecting");
      expect(await seriousViolations(page)).toEqual([]);
      await roomServer.restart();

      // Failed for good: a room this app refuses.
      await roomPage.open("not-an-e2e-room");
      await expect(roomPage.failure()).toContainText("No access");
      expect(await seriousViolations(page)).toEqual([]);
    });
  });
}

/** Presses Tab until `target` has focus (at most 40 times), as a keyboard user would. */
async function tabTo(page: Page, target: Locator) {
  for (let presses = 0; presses < 40; presses++) {
    // A short timeout: the target may be gone for a moment (a view re-rendering), then Tab goes on.
    const focused = await target
      .evaluate((element) => element === document.activeElement, undefined, { timeout: 1000 })
      .catch(() => false);
    if (focused) return;
    await page.keyboard.press("Tab");
  }
  throw new Error(`Tab never reached ${target}`);
}

test("keyboard only: sign in, join a room, send a message, retry a failed connection", async ({
  page,
  roomPage,
  roomServer,
}) => {
  await page.goto("/signin");
  await tabTo(page, page.getByLabel("Display name"));
  await page.keyboard.type("Keys");
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("signed-in-user")).toHaveText("Keys");

  await tabTo(page, page.getByRole("link", { name: /Join #/ }));
  await page.keyboard.press("Enter");
  await roomPage.expectLive();

  await tabTo(page, page.getByLabel("Message"));
  await page.keyboard.type("typed, not clicked");
  await page.keyboard.press("Enter");
  await expect(roomPage.messages().last()).toHaveAttribute("data-status", "sent");

  // The room server is down when the page loads: the failure view offers "Retry now".
  await roomServer.stop();
  await page.reload();
  await expect(roomPage.failure()).toContainText("Could not connect to the room");
  // Focus the button while the room is still down (automatic retries, backing off, may redraw the view meanwhile),
  // so the page cannot reconnect by itself before the key is pressed.
  await tabTo(page, page.getByRole("button", { name: "Retry now" }));
  await roomServer.restart();
  await page.keyboard.press("Enter");
  await roomPage.expectLive();
});
