import { existsSync } from "node:fs";

/**
 * The Chromium the tests drive: PLAYWRIGHT_CHROMIUM_EXECUTABLE_PATH when set,
 * else a system Chromium (Debian/Ubuntu CI images, machines without downloads),
 * else undefined, meaning Playwright's own browser (`npx playwright install chromium`).
 */
export function systemChromium(): string | undefined {
  if (process.env.PLAYWRIGHT_CHROMIUM_EXECUTABLE_PATH) return process.env.PLAYWRIGHT_CHROMIUM_EXECUTABLE_PATH;
  return ["/usr/bin/chromium", "/usr/bin/chromium-browser"].find((candidate) => existsSync(candidate));
}

/** Flags a headless system Chromium needs to run as root in a container without network chatter. */
export const SYSTEM_CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-quic",
  "--no-first-run",
];
