/**
 * `npm run agent`: the demo agent on its own, in the rooms of AGENT_ROOMS.
 * With MESHAGENT_API_KEY (or MESHAGENT_SECRET) it joins MeshAgent cloud;
 * otherwise the local dev room of `npm run dev` / `npm run dev:room`, waiting
 * for it if it is not up yet. Ctrl-C stops it. Variables: agent/env.ts (parsed by lib/env.ts).
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import nextEnv from "@next/env";
import { readAgentEnv } from "./env";
import { demoAgentOptionsFromEnv, startDemoAgent } from "./index";
import { silenceSdkResponseLogs } from "./sdk-noise";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
nextEnv.loadEnvConfig(root, true, { info: () => {}, error: console.error });
silenceSdkResponseLogs();

let options;
try {
  options = demoAgentOptionsFromEnv(readAgentEnv(), root);
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}

const log = (line: string) => console.log(`[agent] ${line}`);
const agent = startDemoAgent({ ...options, log });
console.log(
  `[agent] ${agent.agentName} (${agent.brain.description}) joining ${options.rooms.join(", ")} at ${options.target.apiUrl}`,
);

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  await agent.stop();
  process.exit(0);
}
process.on("SIGINT", () => void stop());
process.on("SIGTERM", () => void stop());
