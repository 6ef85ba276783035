"use client";

import { useLayoutEffect, useRef, type ChangeEvent } from "react";
import { Button } from "@/components/ui/button";
import { ConfirmButton } from "@/components/ui/confirm-button";
import { NOTES_MAX_LENGTH, notesDocument, readNotes, writeNotes } from "@/features/shared-notes/notes-document";
import { diffText, moveCaret } from "@/features/shared-notes/text-diff";
import type { DocumentPhase } from "@/lib/room/room-document";
import { useRoomDocument } from "@/lib/room/use-room-document";

const STATUS: Record<DocumentPhase, string> = {
  opening: "Opening the notes…",
  ready: "Everyone in the room sees and edits these notes live.",
  offline: "Reconnecting… the notes are read-only until the room is back.",
  failed: "The notes could not be opened.",
};

/** One plain-text document per room that everyone edits at once (a room document underneath). */
export function SharedNotes() {
  const notes = useRoomDocument(notesDocument, readNotes);
  const text = notes.data;
  const write = notes.writable ? (base: string, next: string) => notes.mutate(writeNotes(base, next)) : null;
  const area = useRef<HTMLTextAreaElement>(null);
  const shown = useRef(text);
  // The selection as last seen: by the time a new value is rendered the browser has already moved the caret.
  const selection = useRef({ start: 0, end: 0 });

  function remember(element: HTMLTextAreaElement) {
    selection.current = { start: element.selectionStart, end: element.selectionEnd };
  }

  // Someone else's edit replaces the value: keep this person's caret where their text is.
  useLayoutEffect(() => {
    const element = area.current;
    const change = diffText(shown.current, text);
    shown.current = text;
    if (!element || !change || document.activeElement !== element || element.value !== text) return;
    const start = moveCaret(selection.current.start, change);
    const end = moveCaret(selection.current.end, change);
    element.setSelectionRange(start, end);
    selection.current = { start, end };
  }, [text]);

  function onChange(event: ChangeEvent<HTMLTextAreaElement>) {
    // The edit is what changed from the text on screen, not from the document (it may hold others' newer edits).
    const base = shown.current;
    shown.current = event.target.value;
    remember(event.target);
    write?.(base, event.target.value);
  }

  return (
    <section
      aria-labelledby="notes-heading"
      className="flex flex-col gap-2 rounded-xl border border-zinc-200 bg-white p-4 dark:border-zinc-800 dark:bg-zinc-900"
    >
      <h2 id="notes-heading" className="text-sm font-semibold">
        Shared notes
      </h2>
      <textarea
        id="shared-notes"
        ref={area}
        data-testid="shared-notes"
        data-phase={notes.phase}
        aria-labelledby="notes-heading"
        aria-describedby="shared-notes-status"
        value={text}
        readOnly={!write}
        maxLength={NOTES_MAX_LENGTH}
        onChange={onChange}
        onSelect={(event) => remember(event.currentTarget)}
        rows={16}
        placeholder={write ? "Write here. Everyone in the room sees it as you type." : undefined}
        className="min-h-64 w-full resize-y rounded-md border border-zinc-300 bg-white px-3 py-2 font-mono text-sm placeholder:text-zinc-600 read-only:bg-zinc-50 focus-visible:outline-2 focus-visible:outline-blue-500 dark:border-zinc-700 dark:bg-zinc-950 dark:placeholder:text-zinc-400 dark:read-only:bg-zinc-900"
      />
      <p
        id="shared-notes-status"
        role="status"
        className={
          notes.phase === "failed"
            ? "text-xs text-red-700 dark:text-red-300"
            : "text-xs text-zinc-700 dark:text-zinc-300"
        }
      >
        {STATUS[notes.phase]}
        {notes.error ? ` ${notes.error}` : null}
      </p>
      {notes.phase === "failed" ? (
        <Button variant="secondary" className="self-start" onClick={notes.retry}>
          Try again
        </Button>
      ) : null}
      {notes.unreadable > 0 ? (
        <div
          data-testid="notes-unreadable"
          className="flex flex-col items-start gap-2 rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-950 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-100"
        >
          <p>
            Part of these notes could not be read: someone&apos;s app wrote content that is not notes text. What could
            be read is shown above.
          </p>
          <ConfirmButton
            label="Reset the notes"
            question="Erase the notes for everyone in the room?"
            confirmLabel="Erase and reset"
            disabled={!notes.writable}
            onConfirm={notes.reset}
          />
        </div>
      ) : null}
    </section>
  );
}
