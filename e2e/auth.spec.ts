import { expect, signIn, test } from "./fixtures";

test("a signed-out visitor of a room page lands on sign-in and returns to the room afterwards", async ({ page }) => {
  await page.goto("/rooms/lobby");
  await expect(page).toHaveURL(/\/signin\?callbackUrl=%2Frooms%2Flobby$/);
  await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();

  await page.getByLabel("Display name").fill("Grace");
  await page.getByRole("button", { name: "Sign in with a name" }).click();
  await expect(page).toHaveURL(/\/rooms\/lobby$/);
  await expect(page.getByTestId("signed-in-user")).toHaveText("Grace");
});

test("the sign-in page says dev sign-in is on in a production build", async ({ page }) => {
  await page.goto("/signin");
  await expect(page.getByTestId("dev-login-notice")).toContainText("Dev sign-in enabled");
});

test("an empty display name is refused with a message, and nobody is signed in", async ({ page }) => {
  await page.goto("/signin");
  await page.getByLabel("Display name").fill("   ");
  // Bypass the browser's own `required` check: the server must refuse too.
  await page
    .locator("form")
    .filter({ has: page.getByLabel("Display name") })
    .evaluate((form) => {
      (form as HTMLFormElement).noValidate = true;
    });
  await page.getByRole("button", { name: "Sign in with a name" }).click();
  await expect(page.getByRole("main").getByRole("alert")).toContainText("Enter a display name");
  await expect(page.getByTestId("signed-in-user")).toHaveCount(0);
});

test("a callbackUrl to another site is ignored", async ({ page }) => {
  await signIn(page, "Linus", "/");
  await page.goto("/signin?callbackUrl=https%3A%2F%2Fevil.example%2F");
  await expect(page).toHaveURL(/127\.0\.0\.1:\d+\/$/);
});

test("signing out ends the session", async ({ page }) => {
  await signIn(page, "Barbara");
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page.getByRole("link", { name: "Sign in" })).toBeVisible();
  await page.goto("/rooms/lobby");
  await expect(page).toHaveURL(/\/signin/);
});
