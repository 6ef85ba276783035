// `npm run agent` as a process: configuration errors, joining, clean exit.

import { afterEach, describe, expect, it } from "vitest";
import { startDevRoomServer, type DevRoomServer } from "../tooling/dev-room/server";
import { runCli, TSX, type CliRun } from "../tooling/testing/cli-process";
import { waitFor } from "../tooling/testing/wait";

const SECRET = "agent-cli-test-secret";
const runs: CliRun[] = [];
let server: DevRoomServer | null = null;

afterEach(async () => {
  for (const { child } of runs.splice(0)) if (child.exitCode === null) child.kill("SIGKILL");
  await server?.close();
  server = null;
});

function runAgent(env: Record<string, string>): CliRun {
  const run = runCli(TSX, ["agent/main.ts"], { DEV_ROOM_SECRET: SECRET, ...env });
  runs.push(run);
  return run;
}

describe("npm run agent", () => {
  it("exits 1 naming the variable when the configuration is invalid", async () => {
    const run = runAgent({ AGENT_NAME: "no/slashes" });
    expect(await run.exited).toBe(1);
    expect(run.output()).toContain("AGENT_NAME");
    expect(run.output()).not.toMatch(/\n\s+at /); // a message, not a stack
  }, 60_000);

  it("joins the rooms of AGENT_ROOMS on the local room, and leaves cleanly on SIGTERM", async () => {
    server = await startDevRoomServer({ port: 0, secret: SECRET });
    const run = runAgent({ DEV_ROOM_URL: server.url, AGENT_ROOMS: "alpha,beta", AGENT_NAME: "cli-agent" });
    await waitFor(
      () =>
        server!.stats().rooms.alpha?.[0]?.name === "cli-agent" && server!.stats().rooms.beta?.[0]?.messaging === true,
      "the agent in both rooms",
      45_000,
      20,
    );
    expect(run.output()).toContain("cli-agent (offline (no model configured)) joining alpha, beta");
    expect(run.output()).not.toContain("GOT RESPONSE");
    run.child.kill("SIGTERM");
    expect(await run.exited).toBe(0);
    expect(server.stats().rooms).toEqual({});
  }, 60_000);
});
