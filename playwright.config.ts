import { defineConfig, devices } from "@playwright/test";
import { SYSTEM_CHROMIUM_ARGS, systemChromium } from "./e2e/browser";
import {
  APP_PORT,
  AUTH_SECRET,
  DEV_APP_PORT,
  DEV_ROOM_SECRET_CANARY,
  E2E_ROOMS,
  ROOM_PORT,
  ROOM_SECRET,
} from "./e2e/env";

/**
 * End-to-end tests run against a production build (`next build && next start`)
 * pointed at a local dev room server that the tests own (see e2e/fixtures.ts),
 * so they can stop and restart it. Everything is on loopback; nothing needs an
 * account or the internet.
 */

const executablePath = systemChromium();

/** The app under test talks to the tests' room server; only these rooms are allowed. */
const appEnv = {
  AUTH_SECRET,
  AUTH_TRUST_HOST: "true",
  AUTH_DEV_LOGIN: "true",
  MESHAGENT_API_URL: `ws://127.0.0.1:${ROOM_PORT}`,
  MESHAGENT_SECRET: ROOM_SECRET,
  MESHAGENT_ROOMS: E2E_ROOMS.join(","),
  MESHAGENT_TOKEN_TTL_SECONDS: "120",
  NEXT_TELEMETRY_DISABLED: "1",
  // The whole suite signs in from one address; e2e/rate-limit.spec.ts tests the limits on its own instances.
  RATE_LIMIT_SIGN_IN_PER_IP: "100000",
  RATE_LIMIT_SIGN_IN_PER_NAME: "100000",
  RATE_LIMIT_ROOM_CONNECTION_PER_IP: "100000",
  RATE_LIMIT_ROOM_CONNECTION_PER_USER: "100000",
  // Canary: present at build time, must never reach the client bundle (e2e/bundle-secrets.spec.ts).
  DEV_ROOM_SECRET: DEV_ROOM_SECRET_CANARY,
};

export default defineConfig({
  testDir: "./e2e",
  fullyParallel: false,
  // One worker: the tests share one room server and one app server on a 2-core machine.
  workers: 1,
  forbidOnly: Boolean(process.env.CI),
  retries: 0,
  // Per test: the room page now carries more features, and CI shares 2 cores with the app, the room and Chromium.
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI ? [["list"]] : [["list"], ["html", { open: "never" }]],
  use: {
    baseURL: `http://127.0.0.1:${APP_PORT}`,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
  },
  projects: [
    {
      name: "chromium",
      use: {
        ...devices["Desktop Chrome"],
        launchOptions: executablePath
          ? {
              executablePath,
              args: SYSTEM_CHROMIUM_ARGS,
            }
          : {},
      },
    },
  ],
  webServer: [
    {
      command: `npm run build && npm run start -- --hostname 127.0.0.1 --port ${APP_PORT}`,
      url: `http://127.0.0.1:${APP_PORT}/api/auth/providers`,
      timeout: 420_000,
      // Never reuse: a server from an earlier run holds other secrets.
      reuseExistingServer: false,
      stdout: "ignore",
      stderr: "pipe",
      env: { ...appEnv, NODE_ENV: "production", AUTH_URL: `http://127.0.0.1:${APP_PORT}` },
    },
    {
      // Development mode, where React StrictMode double-runs effects. Its own
      // build folder (.next-e2e/dev), so it races neither the production build
      // above nor a developer's `npm run dev`, which holds the lock on .next/dev.
      command: `npx next dev --hostname 127.0.0.1 --port ${DEV_APP_PORT}`,
      url: `http://127.0.0.1:${DEV_APP_PORT}/api/auth/providers`,
      timeout: 420_000,
      reuseExistingServer: false,
      stdout: "ignore",
      stderr: "pipe",
      env: { ...appEnv, AUTH_URL: `http://127.0.0.1:${DEV_APP_PORT}`, NEXT_DIST_DIR: ".next-e2e" },
    },
  ],
});
