import { describe, expect, it } from "vitest";
import { configurationProblems } from "@/lib/config-check";

describe("configurationProblems", () => {
  it("a production deployment with nothing set names AUTH_SECRET, a sign-in method and MeshAgent's variables", () => {
    const problems = configurationProblems({ NODE_ENV: "production" });
    expect(problems).toHaveLength(2);
    expect(problems[0]).toContain("AUTH_SECRET");
    expect(problems[0]).toContain("AUTH_GITHUB_ID");
    expect(problems[1]).toContain("MESHAGENT_API_KEY");
  });

  it("is empty for a complete cloud + GitHub setup", () => {
    expect(
      configurationProblems({
        NODE_ENV: "production",
        AUTH_SECRET: "s",
        AUTH_GITHUB_ID: "id",
        AUTH_GITHUB_SECRET: "gh",
        MESHAGENT_PROJECT_ID: "p",
        MESHAGENT_KEY_ID: "k",
        MESHAGENT_SECRET: "m",
      }),
    ).toEqual([]);
  });

  it("in development points at `npm run dev` when the local room secret is missing", () => {
    const problems = configurationProblems({ NODE_ENV: "development" });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain("npm run dev");
  });

  it("reports an invalid value by name instead of throwing", () => {
    expect(
      configurationProblems({ NODE_ENV: "development", DEV_ROOM_SECRET: "x", MESHAGENT_TOKEN_TTL_SECONDS: "0" })[0],
    ).toContain("MESHAGENT_TOKEN_TTL_SECONDS");
  });

  it("warns when the default room is not in the allow-list", () => {
    const problems = configurationProblems({
      NODE_ENV: "development",
      DEV_ROOM_SECRET: "x",
      MESHAGENT_ROOMS: "standup,retro",
    });
    expect(problems).toEqual([expect.stringContaining('MESHAGENT_DEFAULT_ROOM "lobby" is not in MESHAGENT_ROOMS')]);
    expect(
      configurationProblems({
        NODE_ENV: "development",
        DEV_ROOM_SECRET: "x",
        MESHAGENT_ROOMS: "standup",
        MESHAGENT_DEFAULT_ROOM: "standup",
      }),
    ).toEqual([]);
  });
});
