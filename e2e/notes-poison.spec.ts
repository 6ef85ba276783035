import * as Y from "yjs";
import type { Page } from "@playwright/test";
import { expect, newSignedInPage, RoomPage, test } from "./fixtures";
import { joinAsHostileParticipant } from "./hostile-participant";
import { SHARED_NOTES_PATH } from "../lib/shared/room-paths";

// Issue 19 M1, the app's side: a participant with the normal notes grant writes content MeshDocument cannot
// hold (a number, bytes, an object attribute) with raw Yjs. A room that relays it must not break anyone's notes.

const ROOM = "notes-poison";
const notes = (page: Page) => page.getByRole("textbox", { name: "Shared notes" });

async function openNotes(name: string, browser: Parameters<typeof newSignedInPage>[0]): Promise<Page> {
  const person = new RoomPage(await newSignedInPage(browser, name));
  await person.open(ROOM);
  await person.expectLive();
  await person.page.getByRole("tab", { name: "Notes" }).click();
  await expect(notes(person.page)).toHaveAttribute("data-phase", "ready");
  return person.page;
}

test("poisoned notes: what can be read stays readable and editable, and a reset repairs them for everyone", async ({
  browser,
}) => {
  const alice = await openNotes("Alice", browser);
  await notes(alice).fill("Agenda: ship the poll");

  // The hostile update, made with plain Yjs on the root the SDK's runtime uses, sent through the real SDK.
  const mallory = await joinAsHostileParticipant(browser, "Mallory", ROOM);
  await mallory.sync.open(SHARED_NOTES_PATH);
  const poison = new Y.Doc();
  const root = poison.get("xml", Y.XmlElement);
  root.insert(0, [42 as never, new Uint8Array([1, 2, 3]) as never]);
  root.setAttribute("title", { not: "a string" } as never);
  const base64 = Buffer.from(Y.encodeStateAsUpdate(poison)).toString("base64");
  await mallory.sync.sync(SHARED_NOTES_PATH, new TextEncoder().encode(base64));

  // Alice had the notes open: her text stays, she is told, and her edits still reach others.
  await expect(alice.getByTestId("notes-unreadable")).toBeVisible();
  await expect(notes(alice)).toHaveValue("Agenda: ship the poll");
  const bob = await openNotes("Bob", browser);
  await expect(notes(bob)).toHaveValue("Agenda: ship the poll");
  await notes(alice).press("ControlOrMeta+End");
  await notes(alice).pressSequentially("!");
  await expect(notes(bob)).toHaveValue("Agenda: ship the poll!");

  // Reset asks first, then empties the notes for everyone; they work as new.
  await bob.getByRole("button", { name: "Reset the notes" }).click();
  await bob
    .getByRole("group", { name: "Erase the notes for everyone in the room?" })
    .getByRole("button", { name: "Erase and reset" })
    .click();
  await expect(notes(alice)).toHaveValue("");
  await expect(alice.getByTestId("notes-unreadable")).toHaveCount(0);
  await expect(bob.getByTestId("notes-unreadable")).toHaveCount(0);
  await notes(bob).fill("Fresh start");
  await expect(notes(alice)).toHaveValue("Fresh start");
  mallory.dispose();
});
