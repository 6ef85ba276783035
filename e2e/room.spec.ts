import { expect, newSignedInPage, RoomPage, signIn, test, signInDirectly } from "./fixtures";

test("sign in, open the default room from the home page, see the connected view", async ({ page, roomPage }) => {
  await signIn(page, "Ada");
  await page.getByRole("link", { name: "Join #lobby" }).click();
  await expect(page).toHaveURL(/\/rooms\/lobby$/);
  await roomPage.expectLive();
  await expect(page.getByRole("heading", { name: "#lobby" })).toBeVisible();
  await expect(page.getByTestId("participant-list")).toContainText("Ada");
  await expect(page.getByText("No messages yet")).toBeVisible();
});

test("the room page carries its first credentials and is never cached", async ({ page, roomPage }) => {
  await signInDirectly(page.context(), "Private");
  const response = await page.goto("/rooms/lobby");
  const cacheControl = response!.headers()["cache-control"] ?? "";
  expect(cacheControl).toContain("private");
  expect(cacheControl).toContain("no-store");
  const credentialCalls: string[] = [];
  page.on("request", (request) => {
    if (request.url().includes("/api/room-connection")) credentialCalls.push(request.url());
  });
  await roomPage.expectLive();
  expect(credentialCalls).toEqual([]);
});

test("two people in one room see each other and chat both ways", async ({ browser, roomServer }) => {
  const alice = new RoomPage(await newSignedInPage(browser, "Alice"));
  const bob = new RoomPage(await newSignedInPage(browser, "Bob"));

  await alice.open("chat");
  await alice.expectLive();
  await bob.open("chat");
  await bob.expectLive();

  await expect(alice.participants()).toHaveText(["Bob"]);
  await expect(bob.participants()).toHaveText(["Alice"]);

  await alice.send("Hello Bob");
  await expect(alice.messages().last()).toHaveAttribute("data-status", "sent");
  await expect(bob.messages().last()).toContainText("Alice");
  await expect(bob.messages().last()).toContainText("Hello Bob");

  await bob.send("Hi Alice\nsecond line");
  await expect(alice.messages().last()).toContainText("Bob");
  await expect(alice.messages().last()).toContainText("Hi Alice");

  // The room server agrees: exactly these two, with messaging on.
  const inRoom = roomServer.server().stats().rooms.chat ?? [];
  expect(inRoom.map((participant) => participant.name).sort()).toEqual(["Alice", "Bob"]);
  expect(inRoom.every((participant) => participant.messaging)).toBe(true);

  // Bob leaves: Alice's list updates.
  await bob.page.goto("/");
  await expect(alice.participants()).toHaveCount(0);

  await alice.page.context().close();
  await bob.page.context().close();
});

test("typing a room name opens that room, and a malformed one is explained", async ({ page, roomPage }) => {
  await signIn(page, "Margaret");
  await page.getByLabel("Or open any room").fill("Bad/Name!");
  await page.getByRole("button", { name: "Open" }).click();
  await expect(page.locator("#room-name-error")).toContainText("lowercase letters");

  await page.getByLabel("Or open any room").fill("Presence");
  await page.getByRole("button", { name: "Open" }).click();
  await expect(page).toHaveURL(/\/rooms\/presence$/);
  await roomPage.expectLive();
});

test("a malformed room name in the URL shows an explanation, not a crash", async ({ page }) => {
  await signInDirectly(page.context(), "Hedy");
  await page.goto("/rooms/NOT_valid!");
  await expect(page.getByRole("main").getByRole("alert")).toContainText("Invalid room name");
});

test("a room refused by MESHAGENT_ROOMS shows the no-access view", async ({ page, roomPage }) => {
  await signInDirectly(page.context(), "Mallory");
  await roomPage.open("secret-room");
  await expect(roomPage.failure()).toBeVisible();
  await expect(roomPage.failure()).toHaveAttribute("data-kind", "forbidden");
  await expect(page.getByRole("main").getByRole("alert")).toContainText("No access to this room");
});

test("an unknown page gets the app's not-found page", async ({ page }) => {
  const response = await page.goto("/no-such-page");
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
});

test("when the room's code cannot be loaded, the page says so instead of loading forever", async ({ page }) => {
  await signInDirectly(page.context(), "Offline Olga");
  // Refuse the chunk that carries the MeshAgent SDK (the page names it in its HTML); let everything else through.
  await page.route("**/_next/static/chunks/**", async (route) => {
    const response = await route.fetch();
    const body = await response.text();
    if (body.includes("onDataReceived must be a function")) await route.abort();
    else await route.fulfill({ response, body });
  });
  await page.goto("/rooms/lobby");
  await expect(page.getByTestId("room-load-failed")).toContainText("could not be loaded");
  await expect(page.getByRole("button", { name: "Reload" })).toBeVisible();
});
