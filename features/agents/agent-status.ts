import { z } from "zod";
import { readAttribute, type RoomParticipant } from "@/lib/room/roster";

/** What an agent says it is doing in one thread, from its `thread.status.*.<path>` attributes. */
export interface AgentStatus {
  text: string;
  mode: "busy" | "steerable" | null;
  /** ms since the epoch, when the agent says it started; null if absent or not a date. */
  startedAt: number | null;
}

const MAX_STATUS_LENGTH = 80;

const textSchema = z
  .string()
  .transform((text) => text.replace(/\s+/g, " ").trim())
  .refine((text) => text.length > 0)
  .transform((text) => (text.length > MAX_STATUS_LENGTH ? `${text.slice(0, MAX_STATUS_LENGTH)}…` : text));
const modeSchema = z.enum(["busy", "steerable"]);
const startedAtSchema = z
  .string()
  .max(64)
  .transform((value) => Date.parse(value))
  .refine((ms) => Number.isFinite(ms));

export function statusKeys(path: string) {
  return {
    text: `thread.status.text.${path}`,
    mode: `thread.status.mode.${path}`,
    startedAt: `thread.status.started_at.${path}`,
  };
}

/** The agent's status for `path`, or null when it is not working on it (cleared, absent or unreadable). */
export function agentStatus(agent: RoomParticipant, path: string): AgentStatus | null {
  const keys = statusKeys(path);
  const text = readAttribute(agent, keys.text, textSchema);
  if (text === undefined) return null;
  return {
    text,
    mode: readAttribute(agent, keys.mode, modeSchema) ?? null,
    startedAt: readAttribute(agent, keys.startedAt, startedAtSchema) ?? null,
  };
}
