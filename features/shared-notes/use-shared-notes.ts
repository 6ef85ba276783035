"use client";

import type { MeshDocument } from "@meshagent/meshagent";
import { useCallback, useEffect, useState } from "react";
import { ensureNotesBody, NOTES_SCHEMA, readNotes, writeNotes } from "@/features/shared-notes/notes-document";
import { loadDocumentRuntime } from "@/lib/room/lazy-document-runtime";
import { SHARED_NOTES_PATH } from "@/lib/shared/room-paths";
import { useRoom } from "@/lib/room/use-room";

export type NotesState =
  | { phase: "opening"; text: string }
  | { phase: "ready"; text: string }
  | { phase: "offline"; text: string }
  | { phase: "failed"; text: string; error: string };

function describeError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.slice(0, 200) || "unknown error";
}

/**
 * The room's shared notes: opened with room.sync on every new connection (a
 * reconnect gets a new client, so the document is opened again and its state
 * comes from the room), closed when the view goes away. While the room is
 * unreachable the last text stays on screen, read-only.
 */
export function useSharedNotes() {
  const { client } = useRoom();
  const [doc, setDoc] = useState<MeshDocument | null>(null);
  const [state, setState] = useState<NotesState>({ phase: "opening", text: "" });

  useEffect(() => {
    if (!client) {
      setState((current) => ({ phase: "offline", text: current.text }));
      return;
    }
    let active = true;
    let opened: MeshDocument | null = null;
    let unsubscribe = () => {};
    setState((current) => ({ phase: "opening", text: current.text }));

    // The SDK's document runtime loads on first use; open the document once it
    // is ready so that `sync.open` resolves with the room's state applied.
    loadDocumentRuntime()
      .then(() => client.sync.open(SHARED_NOTES_PATH, { schema: NOTES_SCHEMA }))
      .then((document) => {
        opened = document;
        if (!active) {
          void client.sync.close(SHARED_NOTES_PATH).catch(() => undefined);
          return;
        }
        ensureNotesBody(document);
        const onUpdate = () => setState({ phase: "ready", text: readNotes(document) });
        document.on("updated", onUpdate);
        unsubscribe = () => document.off("updated", onUpdate);
        setDoc(document);
        onUpdate();
      })
      .catch((error: unknown) => {
        if (active) setState((current) => ({ phase: "failed", text: current.text, error: describeError(error) }));
      });

    return () => {
      active = false;
      unsubscribe();
      setDoc(null);
      if (opened) void client.sync.close(SHARED_NOTES_PATH).catch(() => undefined);
    };
  }, [client]);

  const write = useCallback(
    (base: string, next: string) => {
      if (!doc) return;
      try {
        writeNotes(doc, base, next);
      } catch (error) {
        setState((current) => ({ phase: "failed", text: current.text, error: describeError(error) }));
      }
    },
    [doc],
  );

  return { state, write: state.phase === "ready" ? write : null };
}
