"use client";

import { useEffect } from "react";
import { useStore } from "zustand";
import { useShallow } from "zustand/react/shallow";
import type { DocumentDeclaration } from "@/lib/room/document-schema";
import {
  assertInTokenScope,
  RoomDocumentSession,
  type DocumentEdit,
  type DocumentPhase,
  type RoomDocumentDefinition,
  type RootSnapshot,
} from "@/lib/room/room-document";
import { useRoom, useRoomStore } from "@/lib/room/use-room";

export interface RoomDocumentView<R, D extends DocumentDeclaration> {
  /** What `select` picked from the document (from null while it has never been read). */
  data: R;
  phase: DocumentPhase;
  /** Why the document could not be opened or an edit was refused. */
  error: string | null;
  /** How many nodes or values the document holds that its schema does not allow (someone else's client wrote them). */
  unreadable: number;
  /** Whether mutate and reset can edit now: open and connected. */
  writable: boolean;
  mutate: (edit: DocumentEdit<D>) => boolean;
  reset: () => boolean;
  retry: () => void;
}

/**
 * A room document in a component. `select` picks what the component shows;
 * the component re-renders only when that changes (compared shallowly; an
 * element that did not change keeps its object). Opening, closing, reopening
 * after a reconnect, and read-only while disconnected are handled here, for
 * every component using the same document at once.
 */
export function useRoomDocument<D extends DocumentDeclaration, R = RootSnapshot<D> | null>(
  definition: RoomDocumentDefinition<D>,
  select: (root: RootSnapshot<D> | null) => R = (root) => root as R,
): RoomDocumentView<R, D> {
  // In development a missing grant fails here, naming the fix; in production the room refuses the open.
  if (process.env.NODE_ENV !== "production") assertInTokenScope(definition.path);
  const session = useRoomStore(
    `room-document:${definition.path}`,
    () => new RoomDocumentSession(definition),
  ) as RoomDocumentSession<D>;
  const { client } = useRoom();
  useEffect(() => session.attach(client), [session, client]);

  const state = useStore(
    session.store,
    useShallow((current) => ({
      data: select(current.read?.root ?? null),
      phase: current.phase,
      error: current.error,
      unreadable: current.read?.unreadable ?? 0,
    })),
  );
  return {
    ...state,
    writable: state.phase === "ready",
    mutate: (edit) => session.mutate(edit),
    reset: () => session.reset(),
    retry: () => session.retry(),
  };
}
