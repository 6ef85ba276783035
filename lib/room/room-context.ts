"use client";

import type { RoomClient } from "@meshagent/meshagent";
import { createContext, useContext } from "react";
import type { StoreApi } from "zustand/vanilla";
import type { Roster } from "@/lib/room/roster";
import type { RoomStatus } from "@/lib/room/room-status";

export interface RoomUser {
  id: string;
  name: string;
}

export interface RoomContextValue {
  room: string;
  user: RoomUser;
  /** The live client while connected; null while connecting, reconnecting or failed. */
  client: RoomClient | null;
  status: RoomStatus;
  /** Whether this page has been in the room at least once (then it keeps showing it while reconnecting). */
  everConnected: boolean;
  /** Start a new connection attempt now (fresh credentials). */
  retryNow: () => void;
  /** Everyone else in the room, parsed at the edge (lib/room/roster.ts). */
  roster: StoreApi<{ roster: Roster }>;
  /** Room-scoped stores: they live as long as the page stays on this room, across reconnects and views. */
  stores: Map<string, unknown>;
}

export const RoomContext = createContext<RoomContextValue | null>(null);

export function useRoomContext(): RoomContextValue {
  const value = useContext(RoomContext);
  if (!value) throw new Error("Room hooks must be used inside <RoomProvider>.");
  return value;
}
