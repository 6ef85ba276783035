import * as z from "zod/mini";
import { readAttribute, type RoomParticipant } from "@/lib/room/roster";

/** What an agent says it is doing in one thread, from its `thread.status.*.<path>` attributes. */
export interface AgentStatus {
  text: string;
  mode: "busy" | "steerable" | null;
  /** ms since the epoch, when the agent says it started; null if absent or not a date. */
  startedAt: number | null;
}

const MAX_STATUS_LENGTH = 80;

const textSchema = z.pipe(
  z.pipe(
    z.string(),
    z.transform((text) => text.replace(/\s+/g, " ").trim()),
  ),
  z.string().check(
    z.minLength(1),
    z.overwrite((text) => (text.length > MAX_STATUS_LENGTH ? `${text.slice(0, MAX_STATUS_LENGTH)}…` : text)),
  ),
);
const modeSchema = z.enum(["busy", "steerable"]);
const startedAtSchema = z.pipe(
  z.string().check(z.maxLength(64)),
  z.pipe(
    z.transform((value: string) => Date.parse(value)),
    z.number(),
  ),
);

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
