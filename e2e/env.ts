import { randomBytes } from "node:crypto";

/** Ports and secrets shared by playwright.config.ts (the app server) and the test workers (the room server). */
export const APP_PORT = Number(process.env.E2E_APP_PORT ?? 3100);
/** `next dev` (React StrictMode on) for e2e/strict-mode.spec.ts. */
export const DEV_APP_PORT = Number(process.env.E2E_DEV_APP_PORT ?? 3101);
export const ROOM_PORT = Number(process.env.E2E_ROOM_PORT ?? 7717);

// Generated once in the runner process; workers inherit its environment.
process.env.E2E_ROOM_SECRET ??= randomBytes(32).toString("hex");
process.env.E2E_AUTH_SECRET ??= randomBytes(32).toString("hex");
process.env.E2E_DEV_ROOM_SECRET ??= randomBytes(32).toString("hex");

export const ROOM_SECRET = process.env.E2E_ROOM_SECRET;
export const AUTH_SECRET = process.env.E2E_AUTH_SECRET;
export const DEV_ROOM_SECRET_CANARY = process.env.E2E_DEV_ROOM_SECRET;

/** Rooms the e2e app allows (MESHAGENT_ROOMS); any other room is refused with 403. */
export const E2E_ROOMS = [
  "lobby",
  "chat",
  "presence",
  "api",
  "resilience",
  "strict",
  "navigate",
  "switch-a",
  "switch-b",
  "hands",
  "a11y",
  "hostile",
  "flood",
  "fuzz",
  "agents",
  "agents-custom",
  "files-notes",
  "lazy-notes",
  "lazy-notes-dev",
  "ma-lobby",
  "ma-files",
  "hostile-files",
  "agents-turn",
  "agents-turn-a11y",
  "agents-turn-fuzz",
  "poll",
  "poll-a11y",
];
