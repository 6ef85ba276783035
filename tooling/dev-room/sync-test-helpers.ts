// Document-sync test scaffolding: silencing of the SDK's per-change log line.
// The notes schema and reader are in tooling/testing/notes-document.ts.

import { vi } from "vitest";

/** sync's runtime logs every applied change (document.js); thousands of lines would drown the output. */
export function silenceSyncLog(): void {
  const original = console.log;
  vi.spyOn(console, "log").mockImplementation((...args: unknown[]) => {
    if (args[0] === "Applying changes to doc:" || args[0] === "GOT RESPONSE") return;
    original(...args);
  });
}
