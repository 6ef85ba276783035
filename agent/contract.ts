// The agent side of MeshAgent's chatbot contract over room messaging (0.35.x),
// parsed with zod at the edge: nothing past this file sees an unchecked message.

import { z } from "zod";
import { agentThreadPath } from "../lib/shared/agent-thread-path";

/** Longest user text the agent will work on; longer messages are ignored, not truncated. */
export const MAX_TEXT_LENGTH = 4000;
/** Longest thread path accepted; MeshAgent's own paths are far shorter. */
const MAX_PATH_LENGTH = 300;
/** A chat may name attachments; the demo agent reads none, but a flood of them is still refused. */
const MAX_ATTACHMENTS = 16;

const path = z.string().min(1).max(MAX_PATH_LENGTH);

const incomingMessageSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("opened"), message: z.object({ path }) }),
  z.object({
    type: z.literal("chat"),
    message: z.object({
      path,
      text: z.string().max(MAX_TEXT_LENGTH),
      attachments: z
        .array(z.object({ path: z.string().max(MAX_PATH_LENGTH) }))
        .max(MAX_ATTACHMENTS)
        .optional(),
      store: z.boolean().optional(),
    }),
  }),
  z.object({ type: z.literal("typing"), message: z.object({ path }) }),
  z.object({ type: z.literal("cancel"), message: z.object({ path }) }),
]);

export type IncomingMessage = z.infer<typeof incomingMessageSchema>;

/** Anything that is not exactly one of the four messages above yields null. */
export function parseIncoming(type: unknown, message: unknown): IncomingMessage | null {
  const result = incomingMessageSchema.safeParse({ type, message });
  return result.success ? result.data : null;
}

// Agent names and the user part of a path become one path segment each: no
// separators, no control characters, no "." / ".." tricks.
const SEGMENT = /^(?!\.{1,2}$)[^/\\\p{Cc}]{1,200}$/u;
export const AGENT_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/**
 * The one thread a participant has with this agent: named after their
 * participant name, the identity the room vouches for (the room page builds
 * the same path, lib/shared/agent-thread-path.ts).
 */
export function threadPath(agentName: string, participantName: string): string {
  return agentThreadPath(agentName, participantName);
}

/** The user part of one of this agent's thread paths (anyone's), or null if the path is not one. */
export function threadUserOf(agentName: string, value: string): string | null {
  const prefix = `.threads/${agentName}/`;
  if (!value.startsWith(prefix) || !value.endsWith(".thread")) return null;
  const user = value.slice(prefix.length, -".thread".length);
  return SEGMENT.test(user) ? user : null;
}

/** Participant attributes the agent sets while it works on a thread (read by MeshAgent's UIs and this app). */
export function statusAttributes(path: string) {
  return {
    text: `thread.status.text.${path}`,
    mode: `thread.status.mode.${path}`,
    startedAt: `thread.status.started_at.${path}`,
  };
}
