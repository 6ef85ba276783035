"use client";

import { RoomProvider } from "@/components/room/room-provider";
import { RoomView } from "@/components/room/room-view";
import type { RoomConnectionInfo } from "@meshagent/meshagent-react";
import type { RoomUser } from "@/lib/room/room-context";

/** The room page's client part: the provider that owns the connection, and the views over it. */
export function RoomApp(props: { room: string; user: RoomUser; initialConnection?: RoomConnectionInfo | null }) {
  return (
    <RoomProvider {...props}>
      <RoomView />
    </RoomProvider>
  );
}
