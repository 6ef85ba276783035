import { ChildProperty, Element, ElementType, MeshSchema, TextElement, type MeshDocument } from "@meshagent/meshagent";
import { diffText } from "@/features/shared-notes/text-diff";

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

/** Applies the edit that turns the current body into `next`, as one replacement (so concurrent edits elsewhere merge). */
export function writeNotes(doc: MeshDocument, next: string): void {
  ensureNotesBody(doc);
  const body = bodyOf(doc);
  if (!body) return;
  const change = diffText(readNotes(doc), next.slice(0, NOTES_MAX_LENGTH));
  if (!change) return;
  if (change.remove > 0) body.delete(change.index, change.remove);
  if (change.insert) body.insert(change.index, change.insert);
}
