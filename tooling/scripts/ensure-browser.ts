/**
 * Runs before the e2e tests: makes sure there is a Chromium to drive. A system
 * Chromium is used as is; otherwise Playwright's own is installed once (this
 * needs internet, like `npm install` does). Exits non-zero with the reason.
 */
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { chromium } from "@playwright/test";
import { systemChromium } from "../../e2e/browser";

const system = systemChromium();
if (system) {
  if (!existsSync(system)) {
    console.error(`PLAYWRIGHT_CHROMIUM_EXECUTABLE_PATH points to ${system}, which does not exist.`);
    process.exit(1);
  }
} else if (!existsSync(chromium.executablePath())) {
  console.log("No Chromium found: installing Playwright's Chromium (one time)…");
  try {
    execFileSync(
      process.execPath,
      [createRequire(import.meta.url).resolve("@playwright/test/cli"), "install", "chromium"],
      { stdio: "inherit" },
    );
  } catch {
    console.error(
      "Could not install Playwright's Chromium. Install one yourself (`npx playwright install chromium`, or a system\n" +
        "chromium package) or point PLAYWRIGHT_CHROMIUM_EXECUTABLE_PATH at a Chromium/Chrome binary.",
    );
    process.exit(1);
  }
}
