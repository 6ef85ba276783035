import "server-only";
import type { SessionUser } from "@/lib/auth/session-user";

interface RoomPolicy {
  /** When set, the only rooms anyone may join (MESHAGENT_ROOMS). */
  allowedRooms?: readonly string[];
}

/**
 * Room access policy. The default lets every signed-in user into any valid
 * room, or only into the rooms listed in MESHAGENT_ROOMS when that is set.
 *
 * Replace this with your own rule (membership table, GitHub org, invite list):
 * the room-connection route calls it for every token it issues.
 */
export function canJoinRoom(user: SessionUser, room: string, policy: RoomPolicy = {}): boolean {
  if (policy.allowedRooms) return policy.allowedRooms.includes(room);
  return true;
}
