import { defineRoomDocument, type DocumentEdit, type RootSnapshot } from "@/lib/room/room-document";
import { SHARED_NOTES_PATH } from "@/lib/shared/room-paths";
import { diffText, type TextChange } from "@/features/shared-notes/text-diff";

/** Longest notes body this page writes or shows; more (from someone else's client) is cut off on display. */
export const NOTES_MAX_LENGTH = 100_000;

/**
 * The room's shared notes: a root `notes` holding one `text` element, whose
 * text is the body (`text` is the tag MeshDocument's text editing works on).
 */
export const notesDocument = defineRoomDocument(
  SHARED_NOTES_PATH,
  {
    root: "notes",
    elements: {
      notes: { description: "the room's shared notes", children: ["text"] },
      text: { description: "the notes text" },
    },
  },
  { maxText: NOTES_MAX_LENGTH },
);

type Notes = RootSnapshot<typeof notesDocument.declaration>;

/**
 * The body: the first `text` child of the root. Two people opening a new
 * document at once may both add one; Yjs orders them the same way for
 * everyone, so everyone edits the same (first) one.
 */
const bodyOf = (notes: Notes | null) => notes?.children.find((child) => child.tag === "text") ?? null;

/** The body as a string (already bounded and stripped of non-text by the read). */
export const readNotes = (notes: Notes | null): string => bodyOf(notes)?.text ?? "";

/**
 * A local edit: `base` is the text the person saw, `next` what they made of
 * it. Edits from others may have reached the document since `base` was shown;
 * the local change is moved past them rather than diffed against the
 * document, which would undo them.
 */
export function writeNotes(base: string, next: string): DocumentEdit<typeof notesDocument.declaration> {
  return (root, current) => {
    const local = diffText(base, next.slice(0, NOTES_MAX_LENGTH));
    if (!local) return;
    const body = bodyOf(current);
    const text = body?.text ?? "";
    const writer = body ? root.find(body) : root.append("text");
    if (!writer) return;
    const change = text === base ? local : rebase(local, diffText(base, text));
    const remove = Math.max(0, Math.min(change.remove, text.length - change.index));
    const insert = change.insert.slice(0, Math.max(0, NOTES_MAX_LENGTH - (text.length - remove)));
    if (remove > 0) writer.deleteText(change.index, remove);
    if (insert) writer.insertText(change.index, insert);
  };
}

/** `local` moved past `remote` (both made against the same text). Overlapping deletions keep the other's new text. */
function rebase(local: TextChange, remote: TextChange | null): TextChange {
  if (!remote) return local;
  const remoteEnd = remote.index + remote.remove;
  const shift = remote.insert.length - remote.remove;
  if (local.index + local.remove <= remote.index) return local;
  if (local.index >= remoteEnd) return { ...local, index: local.index + shift };
  // The edits overlap: delete only what both saw before the other's edit.
  const index = Math.min(local.index, remote.index);
  return { index, remove: Math.max(0, remote.index - index), insert: local.insert };
}
