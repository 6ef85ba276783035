import type { Page } from "@playwright/test";
import { DEV_APP_PORT } from "./env";
import { expect, newSignedInPage, RoomPage, test } from "./fixtures";

// The SDK's document runtime (Yjs) ships in its own chunk that the browser
// fetches when the Notes tab first opens, not with the room page
// (lib/room/lazy-document-runtime.ts). Checked in the production build and
// under `next dev`, whose bundles are made separately.

/** A string from the pre-bundled Yjs inside @meshagent/meshagent's runtime. */
const YJS_MARKER = "Yjs was already imported";

/** Whether any script the page has fetched so far contains the Yjs runtime. */
function watchForYjs(page: Page): () => Promise<boolean> {
  const bodies: Promise<string>[] = [];
  page.on("response", (response) => {
    if (response.request().resourceType() === "script") bodies.push(response.text().catch(() => ""));
  });
  return async () => (await Promise.all(bodies)).some((body) => body.includes(YJS_MARKER));
}

async function notesRoundTrip(page: Page, other: Page, room: string) {
  const yjsLoaded = watchForYjs(page);
  const alice = new RoomPage(page);
  await alice.open(room);
  // `next dev` compiles the room page on its first request.
  await expect(page.locator('[data-connection="live"]')).toBeVisible({ timeout: 90_000 });
  await alice.expectLive();
  await page.waitForLoadState("networkidle");
  expect(await yjsLoaded()).toBe(false);

  await page.getByRole("tab", { name: "Notes" }).click();
  const notes = page.getByRole("textbox", { name: "Shared notes" });
  await expect(notes).toHaveAttribute("data-phase", "ready");
  await expect.poll(yjsLoaded).toBe(true);
  await notes.fill("written before the other person opened the notes");

  // Someone who opens the notes later gets the room's state with the document.
  const bob = new RoomPage(other);
  await bob.open(room);
  await bob.expectLive();
  await other.getByRole("tab", { name: "Notes" }).click();
  await expect(other.getByRole("textbox", { name: "Shared notes" })).toHaveValue(
    "written before the other person opened the notes",
  );
}

test("production build: the notes' document runtime loads with the Notes tab, not the room page", async ({
  browser,
}) => {
  test.setTimeout(90_000);
  await notesRoundTrip(await newSignedInPage(browser, "Alice"), await newSignedInPage(browser, "Bob"), "lazy-notes");
});

test.describe("next dev", () => {
  test.use({ baseURL: `http://127.0.0.1:${DEV_APP_PORT}` });

  test("the notes' document runtime loads with the Notes tab, not the room page", async ({ browser }) => {
    test.setTimeout(180_000);
    await notesRoundTrip(
      await newSignedInPage(browser, "Alice"),
      await newSignedInPage(browser, "Bob"),
      "lazy-notes-dev",
    );
  });
});
