import { readdir, readFile, stat } from "node:fs/promises";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { AUTH_SECRET, DEV_ROOM_SECRET_CANARY, ROOM_SECRET } from "./env";

async function filesUnder(dir: string): Promise<string[]> {
  const files: string[] = [];
  for (const name of await readdir(dir, { recursive: true })) {
    const full = path.join(dir, name);
    if ((await stat(full)).isFile()) files.push(full);
  }
  return files;
}

// The app under test was built with these secrets in its environment (playwright.config.ts).
test("no secret present at build time appears in any file the browser can download", async () => {
  const files = await filesUnder(path.join(process.cwd(), ".next", "static"));
  expect(files.some((file) => file.endsWith(".js"))).toBe(true);

  const secrets = {
    MESHAGENT_SECRET: ROOM_SECRET!,
    DEV_ROOM_SECRET: DEV_ROOM_SECRET_CANARY!,
    AUTH_SECRET: AUTH_SECRET!,
  };
  for (const file of files) {
    const content = await readFile(file, "latin1");
    for (const [name, value] of Object.entries(secrets)) {
      expect(content.includes(value), `${name} found in ${file}`).toBe(false);
    }
  }
});
