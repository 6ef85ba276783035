import { DEV_APP_PORT } from "./env";
import { expect, RoomPage, test, signInDirectly } from "./fixtures";

// `next dev`: React StrictMode mounts, unmounts and remounts every effect once.
test.use({ baseURL: `http://127.0.0.1:${DEV_APP_PORT}` });
test.setTimeout(120_000); // the first request to a page compiles it

test("under StrictMode a normal connect never shows the failure view and opens exactly one socket", async ({
  page,
  roomServer,
}) => {
  const room = new RoomPage(page);
  const socketsOf = (name: string) =>
    (roomServer.server().stats().rooms.strict ?? []).filter((participant) => participant.name === name).length;

  await signInDirectly(page.context(), "Strict");

  // Record every room view the page shows, from the first paint on.
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { __roomViews: string[] }).__roomViews = seen;
    const record = () => {
      for (const element of document.querySelectorAll<HTMLElement>("[data-testid^='room-']")) {
        const view = `${element.dataset.testid}:${element.dataset.phase ?? element.dataset.kind ?? element.dataset.connection ?? ""}`;
        if (seen.at(-1) !== view) seen.push(view);
      }
    };
    new MutationObserver(record).observe(document, { subtree: true, childList: true, attributes: true });
  });

  await room.open("strict");
  await expect(page.locator('[data-connection="live"]')).toBeVisible({ timeout: 60_000 });
  // Give a late failure flash or a second socket time to show up.
  await page.waitForTimeout(1_000);

  const views = await page.evaluate(() => (window as unknown as { __roomViews: string[] }).__roomViews);
  expect(views.some((view) => view.startsWith("room-failed"))).toBe(false);
  expect(views.some((view) => view.startsWith("room-connecting"))).toBe(true);
  expect(views.at(-1)).toBe("room-connected:live");
  expect(socketsOf("Strict")).toBe(1);

  // Navigating away (client-side) disposes the connection.
  await page.getByRole("link", { name: "MeshAgent Starter" }).click();
  await expect(page.getByRole("link", { name: /Join #/ })).toBeVisible();
  await expect.poll(() => socketsOf("Strict")).toBe(0);
});
