import type { MeshDocument, MeshSchema, Node, TextElement } from "@meshagent/meshagent";
import { diffText, type TextChange } from "@/features/shared-notes/text-diff";

/** Longest notes body this page writes or shows; more (from someone else's client) is cut off on display. */
export const NOTES_MAX_LENGTH = 100_000;

const element = (tag: string, description: string, properties: Record<string, unknown>) => ({
  type: "object",
  additionalProperties: false,
  description,
  required: [tag],
  properties: { [tag]: { type: "object", additionalProperties: false, required: Object.keys(properties), properties } },
});
const notesElement = element("notes", "the room's shared notes", {
  body: { type: "array", items: { anyOf: [{ $ref: "#/$defs/text" }] } },
});

/**
 * The notes document's schema, as MeshSchema.toJson() writes it: a root
 * `notes` holding one `text` element, whose Yjs XmlText is the body. `text` is
 * the tag MeshDocument's text editing (insert/delete) works on. A schema is
 * passed because a room may not have one for the path yet.
 */
export const NOTES_SCHEMA_JSON = {
  $root_tag_ref: "#/$defs/notes",
  $defs: { notes: notesElement, text: element("text", "the notes text", {}) },
  ...notesElement,
};

/**
 * For room.sync.open, which only calls `schema.toJson()` (sync-client.js).
 * Plain data rather than the SDK's schema classes: importing those made the
 * bundler split the SDK differently and put ~9 KiB more on the room page.
 */
export const NOTES_SCHEMA = { toJson: () => NOTES_SCHEMA_JSON } as unknown as MeshSchema;

const isElement = (node: Node): node is Node & { tagName: string; getChildren(): Node[] } =>
  typeof (node as { tagName?: unknown }).tagName === "string" &&
  typeof (node as { getChildren?: unknown }).getChildren === "function";
const isText = (node: Node | undefined): node is TextElement =>
  node !== undefined && Array.isArray((node as { delta?: unknown }).delta);

/**
 * The body: the first `text` child of the root. Two people opening a new
 * document at once may both add one; Yjs orders them the same way for
 * everyone, so everyone edits the same (first) one.
 */
function bodyOf(doc: MeshDocument): TextElement | null {
  for (const child of doc.root.getChildren()) {
    if (isElement(child) && child.tagName === "text") {
      const text = child.getChildren()[0];
      return isText(text) ? text : null;
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
