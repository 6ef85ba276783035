import type { Browser } from "@playwright/test";
import { Protocol, RoomClient, WebSocketProtocolChannel } from "@meshagent/meshagent";
import { signIn } from "./fixtures";

/**
 * An attacker as the issue describes one: a signed-in user who takes the
 * credentials the app's route hands out and drives the real SDK directly,
 * sending whatever it likes.
 */
export async function joinAsHostileParticipant(browser: Browser, name: string, room: string): Promise<RoomClient> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, name);
  const response = await page.request.get(`/api/room-connection?room=${room}`);
  if (!response.ok()) throw new Error(`credentials refused: ${response.status()} ${await response.text()}`);
  const { url, jwt } = (await response.json()) as { url: string; jwt: string };
  await context.close();

  const client = new RoomClient({ protocol: new Protocol({ channel: new WebSocketProtocolChannel({ url, jwt }) }) });
  await client.start();
  await client.messaging.enable();
  return client;
}
