"use client";

import { useEffect, useMemo } from "react";
import { useStore } from "zustand";
import { createStore } from "zustand/vanilla";
import { readAttribute, type RoomParticipant } from "@/lib/room/roster";
import type { Schema } from "@/lib/room/schema";
import { useParticipants, useRoom, useRoomStore } from "@/lib/room/use-room";

export interface PresenceState<T> {
  /** Your own value: yours to set, kept across reconnects. */
  value: T;
  setValue: (value: T) => void;
  /** Everyone else's valid value, in roster order (leavers drop out by themselves). */
  others: { participant: RoomParticipant; value: T }[];
}

/**
 * Per-participant state everyone in the room can see, such as a raised hand
 * or a status. It rides on participant attributes, so the room does the
 * bookkeeping: your value is yours without an echo, late joiners receive it
 * with the presence list, a leaver's value leaves with them, and after a
 * reconnect your value is published again on the new connection.
 * Others' values are parsed with `schema`; an invalid one counts as absent.
 */
export function usePresenceState<T>(key: string, schema: Schema<T>, initial: T): PresenceState<T> {
  const attribute = `presence.${key}`;
  const store = useRoomStore(attribute, () => createStore<{ value: T }>(() => ({ value: initial })));
  const value = useStore(store, (state) => state.value);
  const { client } = useRoom();
  const participants = useParticipants();

  useEffect(() => {
    void client?.localParticipant?.setAttribute(attribute, value as never);
  }, [client, attribute, value]);

  const others = useMemo(
    () =>
      participants.flatMap((participant) => {
        const theirs = readAttribute(participant, attribute, schema);
        return theirs === undefined ? [] : [{ participant, value: theirs }];
      }),
    [participants, attribute, schema],
  );

  return { value, setValue: (next: T) => store.setState({ value: next }), others };
}
