"use client";

import { RoomProvider } from "@/components/room/room-provider";
import { RoomView } from "@/components/room/room-view";
import type { RoomCredentials } from "@/lib/room-credentials";
import type { RoomUser } from "@/lib/room/room-context";

/** The room page's client part: the provider that owns the connection, and the views over it. */
export function RoomApp(props: { room: string; user: RoomUser; initialCredentials?: RoomCredentials | null }) {
  return (
    <RoomProvider {...props}>
      <RoomView />
    </RoomProvider>
  );
}
