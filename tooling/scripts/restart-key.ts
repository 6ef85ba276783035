import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import readline from "node:readline";

/** Where `npm run dev` leaves its process id for `npm run dev:restart-room`, per local room port. */
export function restartPidFile(root: string, port: number): string {
  return path.join(root, ".meshagent-dev", `dev-${port}.pid`);
}

/**
 * Ways to call `restart` (with `npm run dev`: restart only the local room,
 * its files and documents stay on disk) while the app keeps running:
 * SIGUSR2 from any shell or script (`npm run dev:restart-room` sends it), and
 * in an interactive terminal `r` then Enter (line mode, not raw mode, so
 * Ctrl-C still stops everything). Returns a description of what works, for
 * the log line, and a function that stops listening.
 */
export function onRestartRequest(restart: () => Promise<void>, pidFile: string): { how: string; stop: () => void } {
  const onSignal = () => void restart();
  process.on("SIGUSR2", onSignal);
  mkdirSync(path.dirname(pidFile), { recursive: true });
  writeFileSync(pidFile, String(process.pid));
  let lines: readline.Interface | null = null;
  if (process.stdin.isTTY) {
    lines = readline.createInterface({ input: process.stdin, terminal: false });
    lines.on("line", (line) => {
      if (line.trim().toLowerCase() === "r") void restart();
    });
  }
  const how = `restart it with \`npm run dev:restart-room\` (or kill -USR2 ${process.pid})${lines ? ", or type r + Enter here" : ""}`;
  return {
    how,
    stop() {
      process.off("SIGUSR2", onSignal);
      lines?.close();
      // Only our own file: another `npm run dev` may have taken the name since.
      try {
        if (readFileSync(pidFile, "utf8") === String(process.pid)) rmSync(pidFile);
      } catch {
        // already gone
      }
    },
  };
}
