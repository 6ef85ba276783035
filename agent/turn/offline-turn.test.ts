import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { OFFLINE_COMMANDS } from "./offline-turn";

describe("the offline commands", () => {
  it("are all in agent/README.md, so the list there stays complete", () => {
    const readme = fs.readFileSync(new URL("../README.md", import.meta.url), "utf8");
    const section = readme.slice(readme.indexOf("### Offline commands (turn protocol)"));
    for (const [command] of OFFLINE_COMMANDS) {
      expect(section, command).toContain(`\`${command}\``);
    }
  });
});
