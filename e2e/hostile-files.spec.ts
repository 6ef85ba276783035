import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import type { Page } from "@playwright/test";
import { expect, newSignedInPage, RoomPage, test } from "./fixtures";
import { joinAsHostileParticipant } from "./hostile-participant";

// Attachments that lie about themselves (issue 19 M8, L9), sent by a hostile participant on the real SDK.

const ROOM = "hostile-files";
const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

/** Bytes the page has received over its WebSockets so far. */
function countWebSocketBytes(page: Page): () => number {
  let bytes = 0;
  page.on("websocket", (socket) =>
    socket.on(
      "framereceived",
      ({ payload }) => (bytes += typeof payload === "string" ? payload.length : payload.byteLength),
    ),
  );
  return () => bytes;
}

test("an attachment declared as a 1-byte PNG that is really 12 MiB is not downloaded without a click (19 M8)", async ({
  browser,
}) => {
  test.setTimeout(90_000);
  const alice = new RoomPage(await newSignedInPage(browser, "Alice"));
  const received = countWebSocketBytes(alice.page);
  const errors: string[] = [];
  alice.page.on("pageerror", (error) => errors.push(error.message));
  await alice.open(ROOM);
  await alice.expectLive();

  const mallory = await joinAsHostileParticipant(browser, "Mallory", ROOM);
  // PNG magic first, so only the size gives it away.
  const big = new Uint8Array(12 * 1024 * 1024);
  big.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  big.fill(7, 8);
  const small = await alice.page.screenshot({ clip: { x: 0, y: 0, width: 24, height: 16 } });
  const id = crypto.randomUUID();
  const bigPath = `files/uploads/${id}/big.png`;
  const smallPath = `files/uploads/${id}/small.png`;
  await mallory.storage.upload(bigPath, big);
  await mallory.storage.upload(smallPath, new Uint8Array(small));

  const before = received();
  await mallory.messaging.broadcastMessage({
    type: "meshagent.room-chat.message",
    message: {
      text: "look",
      attachments: [
        { path: bigPath, name: "tiny\u200B.png", size: 1, mimeType: "image/png" },
        { path: smallPath, name: "small.png", size: small.length, mimeType: "image/png" },
      ],
    },
  });
  const message = alice.messages().last();
  const attachments = message.getByTestId("attachment");
  await expect(attachments).toHaveCount(2);
  // The honest small image still previews; the liar is refused before its bytes are fetched.
  await expect(attachments.nth(1).getByTestId("attachment-preview")).toBeVisible();
  await expect(attachments.first().getByTestId("attachment-no-preview")).toHaveText(/too large to preview/i);
  // Let anything still in flight arrive before counting.
  await alice.page.waitForTimeout(1500);
  const automatic = received() - before;
  expect(automatic).toBeLessThan(1024 * 1024);

  // A click still downloads all of it, under a name with the invisible character cleaned (19 L9).
  await expect(attachments.first()).toContainText("tiny.png");
  const download = alice.page.waitForEvent("download");
  await attachments.first().getByRole("button", { name: "Download tiny.png" }).click();
  const saved = await download;
  expect(saved.suggestedFilename()).toBe("tiny.png");
  expect(sha256(await readFile(await saved.path()))).toBe(sha256(big));
  expect(errors).toEqual([]);

  mallory.dispose();
  await alice.page.context().close();
});
