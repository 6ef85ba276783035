// `npm run dev` and `npm run dev:room` read their variables through cliEnv: one set of rules for both.

import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { cliEnv, devRoomSecret } from "./cli-env";

const NAMES = ["DEV_ROOM_PORT", "DEV_ROOM_SECRET"] as const;

describe("the local room's CLI environment", () => {
  it("accepts DEV_ROOM_PORT=0 and defaults to 7707", () => {
    expect(cliEnv(NAMES, { DEV_ROOM_PORT: "0" }).env.DEV_ROOM_PORT).toBe(0);
    expect(cliEnv(NAMES, {}).env.DEV_ROOM_PORT).toBe(7707);
  });

  it("gives every room a 1 GiB storage quota unless DEV_ROOM_MAX_ROOM_BYTES says otherwise", () => {
    expect(cliEnv(["DEV_ROOM_MAX_ROOM_BYTES"], {}).env.DEV_ROOM_MAX_ROOM_BYTES).toBe(1024 ** 3);
    expect(cliEnv(["DEV_ROOM_MAX_ROOM_BYTES"], { DEV_ROOM_MAX_ROOM_BYTES: "5000" }).env.DEV_ROOM_MAX_ROOM_BYTES).toBe(
      5000,
    );
  });

  it.each(["abc", "-1", "70000", "1.5"])("refuses DEV_ROOM_PORT=%j by name", (value) => {
    expect(() => cliEnv(NAMES, { DEV_ROOM_PORT: value })).toThrow(
      "DEV_ROOM_PORT must be an integer between 0 and 65535",
    );
  });

  it("treats a blank DEV_ROOM_SECRET as unset: the generated one is used", () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "cli-env-"));
    try {
      const generated = devRoomSecret(root, cliEnv(NAMES, { DEV_ROOM_SECRET: "   " }).env);
      expect(generated).toMatch(/^[0-9a-f]{64}$/);
      expect(devRoomSecret(root, cliEnv(NAMES, { DEV_ROOM_SECRET: " mine " }).env)).toBe("mine");
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it("reads its variables whatever NODE_ENV says (the app ignores them in production, the tool does not)", () => {
    expect(cliEnv(NAMES, { NODE_ENV: "production", DEV_ROOM_PORT: "7800" }).env.DEV_ROOM_PORT).toBe(7800);
  });

  it("leaves other variables' problems to the app", () => {
    expect(() => cliEnv(NAMES, { AUTH_DEV_LOGIN: "yes" })).not.toThrow();
  });
});
