import { expect, newSignedInPage, RoomPage, test } from "./fixtures";

// The README's example feature (features/raise-hand), driven the way people use it.
test("raised hands: your own, late joiners, leavers, and both hands and chat survive a restart and a failure view", async ({
  browser,
  roomServer,
}) => {
  const alice = new RoomPage(await newSignedInPage(browser, "Alice"));
  await alice.open("hands");
  await alice.expectLive();

  // The raiser sees their own hand at once (no echo needed).
  await alice.page.getByRole("button", { name: "Raise hand" }).click();
  await expect(alice.raisedHands()).toHaveText(["✋ You"]);
  await alice.send("hands up if you can hear me");

  // A late joiner sees the hand that was raised before they came, by name.
  const bob = new RoomPage(await newSignedInPage(browser, "Bob"));
  await bob.open("hands");
  await bob.expectLive();
  await expect(bob.raisedHands()).toHaveText(["✋ Alice"]);
  await bob.page.getByRole("button", { name: "Raise hand" }).click();
  await expect(alice.raisedHands()).toHaveText(["✋ You", "✋ Bob"]);

  // Raising is a toggle, never a duplicate; lowering reaches the others.
  await bob.page.getByRole("button", { name: "Lower hand" }).click();
  await expect(alice.raisedHands()).toHaveText(["✋ You"]);
  await bob.page.getByRole("button", { name: "Raise hand" }).click();
  await expect(alice.raisedHands()).toHaveText(["✋ You", "✋ Bob"]);

  // A leaver's hand goes with them.
  await bob.page.context().close();
  await expect(alice.raisedHands()).toHaveText(["✋ You"]);

  // The local room restarts: Alice reconnects with her hand still up, and a newcomer sees it.
  await roomServer.restart();
  await alice.expectLive();
  await expect(alice.raisedHands()).toHaveText(["✋ You"]);
  await expect(alice.messages()).toHaveCount(1);
  const carol = new RoomPage(await newSignedInPage(browser, "Carol"));
  await carol.open("hands");
  await carol.expectLive();
  await expect(carol.raisedHands()).toHaveText(["✋ Alice"]);

  // The failure view replaces the room (the route refuses once), then Retry brings it all back.
  await alice.page.route("**/api/room-connection**", (route) =>
    route.fulfill({
      status: 403,
      contentType: "application/json",
      body: '{"code":"forbidden","message":"Refused for this test."}',
    }),
  );
  await roomServer.restart();
  await expect(alice.page.getByTestId("room-failed")).toContainText("Refused for this test.");
  await alice.page.unroute("**/api/room-connection**");
  await alice.page.getByRole("button", { name: "Retry" }).click();
  await alice.expectLive();
  await expect(alice.raisedHands()).toHaveText(["✋ You"]);
  await expect(alice.messages().first()).toContainText("hands up if you can hear me");
  await expect(carol.raisedHands()).toHaveText(["✋ Alice"]);

  await alice.page.context().close();
  await carol.page.context().close();
});
