import readline from "node:readline";

/**
 * In an interactive terminal, typing `r` then Enter calls `restart`: with
 * `npm run dev` that restarts only the local room (its files and documents
 * stay on disk), so a feature's reconnect can be watched while the app keeps
 * running. Line mode, not raw mode, so Ctrl-C still stops everything.
 */
export function onRestartKey(restart: () => Promise<void>): () => void {
  if (!process.stdin.isTTY) return () => {};
  const lines = readline.createInterface({ input: process.stdin, terminal: false });
  lines.on("line", (line) => {
    if (line.trim().toLowerCase() === "r") void restart();
  });
  return () => lines.close();
}
