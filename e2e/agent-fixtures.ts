import { startDemoAgent, type DemoAgent } from "../agent/index";
import type { Brain } from "../agent/brain/types";
import { createOfflineBrain } from "../agent/brain/offline";
import { silenceSdkResponseLogs } from "../agent/sdk-noise";
import { ROOM_SECRET } from "./env";
import { test as base } from "./fixtures";
import { ROOM_URL } from "./sdk-client";

/** The room the demo agent serves in e2e. */
export const DEMO_AGENT_ROOM = "agents";
/** How long the demo agent "thinks" in e2e, so its status is on screen long enough to be seen. */
const THINK_MS = 800;

/** The offline brain `npm run dev` uses, pausing before each answer (the offline brain itself is instant). */
function thoughtfulOfflineBrain(): Brain {
  const offline = createOfflineBrain();
  return {
    ...offline,
    async reply(request) {
      await new Promise((resolve) => setTimeout(resolve, THINK_MS));
      request.signal.throwIfAborted();
      return offline.reply(request);
    },
  };
}

/**
 * The demo agent, in-process for the worker like the room server: the same
 * startDemoAgent that `npm run dev` uses, against the tests' room server with
 * its secret. It rejoins by itself after roomServer.restart().
 */
export const test = base.extend<object, { demoAgent: DemoAgent }>({
  demoAgent: [
    async ({ roomServer }, use) => {
      void roomServer;
      silenceSdkResponseLogs();
      const agent = startDemoAgent({
        rooms: [DEMO_AGENT_ROOM],
        target: { where: "local-dev-room", apiUrl: ROOM_URL, secret: ROOM_SECRET! },
        brain: thoughtfulOfflineBrain(),
      });
      await agent.whenConnected();
      await use(agent);
      await agent.stop();
    },
    { scope: "worker" },
  ],
});

export { expect } from "./fixtures";
