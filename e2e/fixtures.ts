import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { test as base, expect, type Browser, type BrowserContext, type Page } from "@playwright/test";
import { startDevRoomServer, type DevRoomServer } from "../tooling/dev-room/server";
import { roomDocumentSchemas } from "../features/room-documents";
import { ROOM_PORT, ROOM_SECRET } from "./env";

/** The local room server the app under test points at, owned by the test worker so tests can stop and restart it. */
export interface RoomServerControl {
  server(): DevRoomServer;
  stop(): Promise<void>;
  restart(): Promise<void>;
}

/** `dataDir` holds room files and documents: one folder for all restarts of a worker's server. */
async function start(dataDir: string): Promise<DevRoomServer> {
  return startDevRoomServer({ port: ROOM_PORT, secret: ROOM_SECRET!, dataDir, documentSchemas: roomDocumentSchemas() });
}

export const test = base.extend<{ roomPage: RoomPage }, { roomServer: RoomServerControl }>({
  roomServer: [
    async ({}, use) => {
      const dataDir = mkdtempSync(path.join(os.tmpdir(), "e2e-dev-room-"));
      let current: DevRoomServer | null = await start(dataDir);
      await use({
        server: () => {
          if (!current) throw new Error("room server is stopped");
          return current;
        },
        stop: async () => {
          await current?.close();
          current = null;
        },
        restart: async () => {
          await current?.close();
          current = await start(dataDir);
        },
      });
      await current?.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
    { scope: "worker", auto: true },
  ],
  roomPage: async ({ page }, use) => {
    await use(new RoomPage(page));
  },
});

export { expect };

/** Sign in with dev sign-in from the sign-in page, optionally returning to `callbackUrl`. */
export async function signIn(page: Page, name: string, callbackUrl = "/"): Promise<void> {
  await page.goto(`/signin?callbackUrl=${encodeURIComponent(callbackUrl)}`);
  await page.getByLabel("Display name").fill(name);
  await page.getByRole("button", { name: "Sign in with a name" }).click();
  await page.waitForURL((url) => url.pathname === callbackUrl.split("?")[0]);
}

// DEV_LOGIN_PROVIDER_ID of lib/auth/policy.ts, a server-only module tests cannot import.
const DEV_LOGIN_PROVIDER_ID = "dev-login";

/**
 * Signs a browser context in with dev sign-in through Auth.js's own endpoints
 * (CSRF token, then the provider's callback), without rendering the sign-in
 * and home pages: for the many tests about something else. The sign-in page
 * itself is driven by signIn() and the auth specs.
 */
export async function signInDirectly(context: BrowserContext, name: string): Promise<void> {
  const { csrfToken } = (await (await context.request.get("/api/auth/csrf")).json()) as { csrfToken: string };
  const response = await context.request.post(`/api/auth/callback/${DEV_LOGIN_PROVIDER_ID}`, {
    form: { csrfToken, name, callbackUrl: "/" },
    maxRedirects: 0,
  });
  const location = response.headers()["location"] ?? "";
  if (response.status() !== 302 || location.includes("error=")) {
    throw new Error(`dev sign-in as "${name}" failed: ${response.status()} ${location}`);
  }
}

/** A second person in their own browser context, signed in (the page is blank until it opens something). */
export async function newSignedInPage(browser: Browser, name: string): Promise<Page> {
  const context = await browser.newContext();
  await signInDirectly(context, name);
  return context.newPage();
}

export class RoomPage {
  constructor(readonly page: Page) {}

  async open(room: string) {
    await this.page.goto(`/rooms/${room}`);
  }

  connected() {
    return this.page.getByTestId("room-connected");
  }

  /**
   * Waits until the room is live. Fails at once, with the page's own words,
   * if the room refused instead (for a new test room: is it in E2E_ROOMS?).
   */
  async expectLive() {
    const live = this.page.locator('[data-testid="room-connected"][data-connection="live"]');
    const refused = this.page.locator('[data-testid="room-failed"]:not(:has([data-testid="reconnect-status"]))');
    await expect(live.or(refused)).toBeVisible({ timeout: 20_000 });
    if (await refused.isVisible()) {
      const room = new URL(this.page.url()).pathname.split("/").pop();
      throw new Error(
        `Room "${room}" refused the connection: "${(await refused.innerText()).replace(/\s+/g, " ")}". ` +
          "Every room an e2e test uses must be listed in E2E_ROOMS (e2e/env.ts).",
      );
    }
  }

  participants() {
    return this.page.getByTestId("participant");
  }

  failure() {
    return this.page.getByTestId("room-failed");
  }

  async send(text: string) {
    await this.page.getByLabel("Message").fill(text);
    await this.page.getByLabel("Message").press("Enter");
  }

  messages() {
    return this.page.getByTestId("chat-message");
  }

  raisedHands() {
    return this.page.getByTestId("raised-hand");
  }
}
