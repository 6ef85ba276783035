import { z } from "zod";

/**
 * The one definition of a valid room name, shared by the route, the room page
 * and the room picker. Room names go into the MeshAgent room URL path unencoded
 * (the SDK appends them as-is), so only URL-safe characters are allowed.
 */
export const ROOM_NAME_MAX_LENGTH = 64;
export const ROOM_NAME_PATTERN = /^[a-z0-9][a-z0-9_-]*$/;

const roomNameSchema = z
  .string({ error: "Room name is required." })
  .min(1, { error: "Room name is required." })
  .max(ROOM_NAME_MAX_LENGTH, { error: `Room names are at most ${ROOM_NAME_MAX_LENGTH} characters.` })
  .regex(ROOM_NAME_PATTERN, {
    error: "Use lowercase letters, digits, '-' and '_', starting with a letter or digit.",
  });

/** Turn what a person typed ("Design Review") into a room name candidate ("design-review"). */
export function normalizeRoomInput(input: string): string {
  return input.trim().toLowerCase().replace(/\s+/g, "-");
}

export function parseRoomName(value: unknown): { ok: true; room: string } | { ok: false; message: string } {
  const result = roomNameSchema.safeParse(value);
  if (result.success) return { ok: true, room: result.data };
  return { ok: false, message: result.error.issues[0]?.message ?? "Invalid room name." };
}
