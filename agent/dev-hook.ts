// How `npm run dev` starts the demo agent next to the local room server: in the
// rooms of AGENT_ROOMS, unless DEV_AGENT=false. A misconfigured agent is
// reported and skipped; it never stops the app from starting.

import { readAgentEnv } from "./env";
import { demoAgentOptionsFromEnv, startDemoAgent, type DemoAgent } from "./index";
import { silenceSdkResponseLogs } from "./sdk-noise";

export function startDevAgent(
  repoRoot: string,
  room: { url: string; secret: string },
  source: Record<string, string | undefined> = process.env,
): DemoAgent | null {
  try {
    const env = readAgentEnv({ ...source, DEV_ROOM_URL: room.url, DEV_ROOM_SECRET: room.secret });
    if (!env.DEV_AGENT) return null;
    const options = demoAgentOptionsFromEnv(env, repoRoot);
    silenceSdkResponseLogs();
    const agent = startDemoAgent({ ...options, log: (line) => console.log(`[agent] ${line}`) });
    console.log(`Demo agent "${agent.agentName}" (${agent.brain.description}) joining ${options.rooms.join(", ")}`);
    return agent;
  } catch (error) {
    console.error(`Demo agent not started: ${error instanceof Error ? error.message : String(error)}`);
    return null;
  }
}
