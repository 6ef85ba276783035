/**
 * `npm run dev:restart-room`: asks a running `npm run dev` to restart only its
 * local room (files and documents stay), from any shell or script, no
 * terminal needed. Uses DEV_ROOM_PORT like `npm run dev` to find the right one.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { restartPidFile } from "./restart-key";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const port = Number(process.env.DEV_ROOM_PORT || 7707);
const pidFile = restartPidFile(root, port);

let pid: number;
try {
  pid = Number(readFileSync(pidFile, "utf8"));
} catch {
  console.error(`No \`npm run dev\` with a local room on port ${port} is running here (no ${pidFile}).`);
  process.exit(1);
}
try {
  process.kill(pid, "SIGUSR2");
  console.log(
    `Asked \`npm run dev\` (pid ${pid}) to restart the local room on port ${port}; its log says when it is back.`,
  );
} catch {
  console.error(`\`npm run dev\` (pid ${pid}, from ${pidFile}) is not running any more.`);
  process.exit(1);
}
