import AxeBuilder from "@axe-core/playwright";
import type { Locator, Page } from "@playwright/test";
import { expect, signIn, test } from "./fixtures";

/** Serious and critical WCAG 2 A/AA violations on the page as it is now, as readable strings. */
async function seriousViolations(page: Page): Promise<string[]> {
  const { violations } = await new AxeBuilder({ page })
    .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"])
    .analyze();
  return violations
    .filter((violation) => violation.impact === "serious" || violation.impact === "critical")
    .map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(" ")).join(", ")}`);
}

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
      await signIn(page, "Axe");

      // Connecting: hold the credentials request so the view stays put.
      let release = () => {};
      const held = new Promise<void>((resolve) => (release = resolve));
      await page.route("**/api/room-connection**", async (route) => {
        await held;
        await route.fallback();
      });
      await roomPage.open("a11y");
      await expect(page.getByTestId("room-connecting")).toBeVisible();
      expect(await seriousViolations(page)).toEqual([]);
      release();

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

      // Failed.
      await refuseRoomConnection(page, 403, "forbidden", "No access.");
      await page.reload();
      await expect(roomPage.failure()).toBeVisible();
      expect(await seriousViolations(page)).toEqual([]);
    });
  });
}

/** Presses Tab until `target` has focus (at most 40 times), as a keyboard user would. */
/** From now on the page's room-connection requests get this error answer. */
async function refuseRoomConnection(page: Page, status: number, code: string, message: string) {
  await page.route("**/api/room-connection**", (route) =>
    route.fulfill({ status, contentType: "application/json", body: JSON.stringify({ code, message }) }),
  );
}

async function tabTo(page: Page, target: Locator) {
  for (let presses = 0; presses < 40; presses++) {
    if (await target.evaluate((element) => element === document.activeElement).catch(() => false)) return;
    await page.keyboard.press("Tab");
  }
  throw new Error(`Tab never reached ${target}`);
}

test("keyboard only: sign in, join a room, send a message, retry a failed connection", async ({ page, roomPage }) => {
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

  await refuseRoomConnection(page, 503, "not_configured", "Down for a test.");
  await page.reload();
  await expect(roomPage.failure()).toContainText("Down for a test.");
  await page.unroute("**/api/room-connection**");
  await tabTo(page, page.getByRole("button", { name: "Retry" }));
  await page.keyboard.press("Enter");
  await roomPage.expectLive();
});
