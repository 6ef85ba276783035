import { z } from "zod";

/**
 * The local room's `GET /rooms` (tooling/dev-room/room-list.ts), which the
 * home page reads: the rooms that hold files or documents or have someone in
 * them. It answers only a bearer JWT signed with the room secret and carrying
 * this audience, which participant tokens (signed with the same secret and
 * handed to browsers) never do.
 */
export const LOCAL_ROOM_LIST_AUDIENCE = "meshagent-dev-room:room-list";

/** The most rooms the local room lists. */
export const LOCAL_ROOM_LIST_MAX = 200;

export const localRoomListSchema = z.object({
  rooms: z
    .array(
      z.object({
        name: z.string().max(200),
        participants: z.number().int().min(0),
        hasData: z.boolean(),
      }),
    )
    .max(LOCAL_ROOM_LIST_MAX),
});

export type LocalRoomList = z.infer<typeof localRoomListSchema>;
