import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import type { Page } from "@playwright/test";
import { expect, newSignedInPage, RoomPage, test } from "./fixtures";
import { seriousViolations } from "./axe";

// features/room-files and features/shared-notes, driven by two people, across a restart of the local room.

const ROOM = "files-notes";
const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");

async function attach(page: Page, files: { name: string; mimeType: string; buffer: Buffer }[]) {
  const chooser = page.waitForEvent("filechooser");
  await page.getByRole("button", { name: "Attach files" }).click();
  await (await chooser).setFiles(files);
}

/** Downloads an attachment the way a person does and returns the saved bytes' hash. */
async function downloadHash(page: Page, name: string): Promise<string> {
  const download = page.waitForEvent("download");
  await page.getByRole("button", { name: `Download ${name}` }).click();
  const saved = await download;
  expect(saved.suggestedFilename()).toBe(name);
  return sha256(await readFile(await saved.path()));
}

function notes(page: Page) {
  return page.getByRole("textbox", { name: "Shared notes" });
}

async function openNotes(page: Page) {
  await page.getByRole("tab", { name: "Notes" }).click();
  await expect(notes(page)).toHaveAttribute("data-phase", "ready");
}

test("files in chat and shared notes: two people, and both survive a room restart", async ({ browser, roomServer }) => {
  test.setTimeout(120_000);
  const alice = new RoomPage(await newSignedInPage(browser, "Alice"));
  const bob = new RoomPage(await newSignedInPage(browser, "Bob"));
  await alice.open(ROOM);
  await bob.open(ROOM);
  await alice.expectLive();
  await bob.expectLive();

  // A real PNG made by the browser, and a text file with non-ASCII content.
  const png = await alice.page.screenshot({ clip: { x: 0, y: 0, width: 24, height: 16 } });
  const text = Buffer.from(`notes for the room ✓ ${"line\n".repeat(2000)}`, "utf8");
  const files = [
    { name: "screenshot.png", mimeType: "image/png", buffer: png },
    { name: "agenda notes.txt", mimeType: "text/plain", buffer: text },
  ];

  // Too large is refused before anything is sent, says why, and keeps the draft.
  await alice.page.getByLabel("Message").fill("two files for you");
  await attach(alice.page, [
    { name: "huge.bin", mimeType: "application/octet-stream", buffer: Buffer.alloc(25 * 1024 * 1024 + 1) },
  ]);
  await expect(alice.page.getByRole("alert").filter({ hasText: "huge.bin is too large (25 MB)" })).toContainText(
    "files up to 25 MB can be attached",
  );
  await expect(alice.page.getByLabel("Message")).toHaveValue("two files for you");
  await alice.page.getByRole("button", { name: "Remove huge.bin" }).click();

  await attach(alice.page, files);
  const pending = alice.page.getByTestId("pending-attachment");
  await expect(pending).toHaveCount(2);
  await expect(pending.and(alice.page.locator('[data-status="ready"]'))).toHaveCount(2);
  await alice.page.getByLabel("Message").press("Enter");
  await expect(pending).toHaveCount(0);
  await expect(alice.page.getByLabel("Message")).toHaveValue("");

  // Bob sees the message with both files: names, sizes, the image previewed (decoded), and the same bytes on download.
  const message = bob.messages().filter({ hasText: "two files for you" });
  await expect(message.getByTestId("attachment")).toHaveCount(2);
  await expect(message.getByTestId("attachment").first()).toContainText("screenshot.png");
  await expect(message.getByTestId("attachment").nth(1)).toContainText(/agenda notes\.txt\s*9\.8 KB/);
  const preview = message.getByRole("img", { name: "Preview of screenshot.png" });
  await expect(preview).toBeVisible();
  expect(await preview.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(24);
  expect(await downloadHash(bob.page, "screenshot.png")).toBe(sha256(png));
  expect(await downloadHash(bob.page, "agenda notes.txt")).toBe(sha256(text));
  expect(await seriousViolations(bob.page)).toEqual([]);

  // Shared notes: both type at once, at opposite ends, and each sees the other's text.
  await openNotes(alice.page);
  await openNotes(bob.page);
  await notes(alice.page).fill("Agenda:\n");
  await expect(notes(bob.page)).toHaveValue("Agenda:\n", { timeout: 1_000 });
  await notes(bob.page).press("ControlOrMeta+End");
  await notes(alice.page).press("ControlOrMeta+Home");
  await Promise.all([
    notes(alice.page).pressSequentially("Alice: hello. ", { delay: 20 }),
    notes(bob.page).pressSequentially("Bob: files are up.", { delay: 20 }),
  ]);
  const expected = "Alice: hello. Agenda:\nBob: files are up.";
  await expect(notes(alice.page)).toHaveValue(expected);
  await expect(notes(bob.page)).toHaveValue(expected);

  // The local room restarts: both reconnect, the notes come back from the room, the files are still there.
  await roomServer.restart();
  await alice.expectLive();
  await bob.expectLive();
  await expect(notes(alice.page)).toHaveAttribute("data-phase", "ready");
  await expect(notes(alice.page)).toHaveValue(expected);
  await expect(notes(bob.page)).toHaveValue(expected);
  await notes(bob.page).press("ControlOrMeta+End");
  await notes(bob.page).pressSequentially(" Back.");
  await expect(notes(alice.page)).toHaveValue(`${expected} Back.`);

  // Someone new after the restart gets the notes from the room, and Bob still downloads the same bytes.
  const carol = new RoomPage(await newSignedInPage(browser, "Carol"));
  await carol.open(ROOM);
  await carol.expectLive();
  await openNotes(carol.page);
  await expect(notes(carol.page)).toHaveValue(`${expected} Back.`);
  await bob.page.getByRole("tab", { name: "Room chat" }).click();
  expect(await downloadHash(bob.page, "agenda notes.txt")).toBe(sha256(text));
  expect(await downloadHash(bob.page, "screenshot.png")).toBe(sha256(png));
});

test("files in chat: drop and paste attach too, and a file-only message reaches the other person (dark scheme)", async ({
  browser,
}) => {
  // Two pages, an upload, a download and three axe scans: more than the default 30 s on a busy 2-core machine.
  test.setTimeout(60_000);
  const alice = new RoomPage(await newSignedInPage(browser, "Alice"));
  const bob = new RoomPage(await newSignedInPage(browser, "Bob"));
  await alice.page.emulateMedia({ colorScheme: "dark" });
  await bob.page.emulateMedia({ colorScheme: "dark" });
  await alice.open(ROOM);
  await bob.open(ROOM);
  await alice.expectLive();
  await bob.expectLive();

  // What a browser hands the page for a dropped file and for a pasted one.
  await alice.page.getByRole("region", { name: "Chat" }).evaluate((chat) => {
    const data = new DataTransfer();
    data.items.add(new File(["dropped bytes"], "dropped.txt", { type: "text/plain" }));
    for (const type of ["dragenter", "dragover", "drop"]) {
      chat.dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: data }));
    }
  });
  await alice.page.getByLabel("Message").evaluate((input) => {
    const data = new DataTransfer();
    data.items.add(new File(["pasted bytes"], "pasted.txt", { type: "text/plain" }));
    input.dispatchEvent(new ClipboardEvent("paste", { bubbles: true, cancelable: true, clipboardData: data }));
  });
  const pending = alice.page.getByTestId("pending-attachment");
  await expect(pending.and(alice.page.locator('[data-status="ready"]'))).toHaveCount(2);
  await expect(pending).toHaveText([/dropped\.txt/, /pasted\.txt/]);
  await expect(alice.page.getByLabel("Message")).toHaveValue("");
  expect(await seriousViolations(alice.page)).toEqual([]);
  await alice.page.getByRole("button", { name: "Send" }).click();

  const attachments = bob.page.getByTestId("attachment");
  await expect(attachments).toHaveCount(2);
  await expect(attachments).toHaveText([/dropped\.txt\s*13 B/, /pasted\.txt\s*12 B/]);
  expect(await downloadHash(bob.page, "pasted.txt")).toBe(sha256(Buffer.from("pasted bytes")));
  expect(await seriousViolations(bob.page)).toEqual([]);
  await openNotes(bob.page);
  expect(await seriousViolations(bob.page)).toEqual([]);
});
