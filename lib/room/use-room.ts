"use client";

import { useMemo } from "react";
import { useStore } from "zustand";
import { useRoomContext, type RoomContextValue } from "@/lib/room/room-context";
import { sortedParticipants, type RoomParticipant } from "@/lib/room/roster";

export type RoomState = Omit<RoomContextValue, "roster" | "stores">;

/** The room this page is in: `{ room, user, client, status, everConnected, retryNow }`. */
export function useRoom(): RoomState {
  const { roster: _roster, stores: _stores, ...state } = useRoomContext();
  return state;
}

/**
 * A store that belongs to the room, not to a view: created once per room on
 * first use and kept across reconnects and the failure view. `key` names it;
 * use one key per feature.
 */
export function useRoomStore<T>(key: string, create: () => T): T {
  const { stores } = useRoomContext();
  if (!stores.has(key)) stores.set(key, create());
  return stores.get(key) as T;
}

/** Everyone else in the room (agents first), kept current; empty while disconnected. */
export function useParticipants(): RoomParticipant[] {
  const roster = useStore(useRoomContext().roster, (state) => state.roster);
  return useMemo(() => sortedParticipants(roster), [roster]);
}
