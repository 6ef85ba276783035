import { ChildProperty, Element, ElementType, MeshSchema, TextElement, type MeshDocument } from "@meshagent/meshagent";
import { diffText, type TextChange } from "@/features/shared-notes/text-diff";

/** Longest notes body this page writes or shows; more (from someone else's client) is cut off on display. */
export const NOTES_MAX_LENGTH = 100_000;

/**
 * The notes document: a root `notes` holding one `text` element, whose Yjs
 * XmlText is the body. `text` is the tag name MeshDocument's text editing
 * (insert/delete) works on; a schema is passed because a room may not have
 * one for the path yet.
 */
export function notesSchema(): MeshSchema {
  return new MeshSchema({
    rootTagName: "notes",
    elements: [
      new ElementType({
        tagName: "notes",
        description: "the room's shared notes",
        properties: [new ChildProperty({ name: "body", childTagNames: ["text"] })],
      }),
      new ElementType({ tagName: "text", description: "the notes text", properties: [] }),
    ],
  });
}

/**
 * The body: the first `text` child of the root. Two people opening a new
 * document at once may both add one; Yjs orders them the same way for
 * everyone, so everyone edits the same (first) one.
 */
function bodyOf(doc: MeshDocument): TextElement | null {
  for (const child of doc.root.getChildren()) {
    if (child instanceof Element && child.tagName === "text") {
      const text = child.getChildren()[0];
      return text instanceof TextElement ? text : null;
    }
  }
  return null;
}

/** The body as a string. Whatever arrives is untrusted: non-text inserts are skipped and the length is bounded. */
export function readNotes(doc: MeshDocument): string {
  const body = bodyOf(doc);
  if (!body) return "";
  let text = "";
  for (const run of body.delta) {
    if (typeof run?.insert === "string") text += run.insert;
    if (text.length > NOTES_MAX_LENGTH) return text.slice(0, NOTES_MAX_LENGTH);
  }
  return text;
}

/** Adds the body to a new, empty document; a document that has one is left alone. */
export function ensureNotesBody(doc: MeshDocument): void {
  if (bodyOf(doc)) return;
  doc.root.createChildElement("text", {});
}

/**
 * Applies a local edit: `base` is the text the person saw, `next` what they
 * made of it. Edits from others may have reached the document since `base`
 * was shown; the local change is moved past them rather than diffed against
 * the document, which would undo them.
 */
export function writeNotes(doc: MeshDocument, base: string, next: string): void {
  ensureNotesBody(doc);
  const body = bodyOf(doc);
  const local = diffText(base, next.slice(0, NOTES_MAX_LENGTH));
  if (!body || !local) return;
  const current = readNotes(doc);
  const change = current === base ? local : rebase(local, diffText(base, current));
  const remove = Math.max(0, Math.min(change.remove, current.length - change.index));
  const insert = change.insert.slice(0, Math.max(0, NOTES_MAX_LENGTH - (current.length - remove)));
  if (remove > 0) body.delete(change.index, remove);
  if (insert) body.insert(change.index, insert);
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
