// Document-sync test scaffolding: a small MeshSchema, a way to read a
// MeshDocument as plain data, and silencing of the SDK's per-change log line.

import { vi } from "vitest";
import {
  ChildProperty,
  Element,
  ElementType,
  MeshSchema,
  SimpleValue,
  ValueProperty,
  type MeshDocument,
} from "@meshagent/meshagent";

export function notesSchema(): MeshSchema {
  return new MeshSchema({
    rootTagName: "notes",
    elements: [
      new ElementType({
        tagName: "notes",
        description: "shared notes",
        properties: [new ChildProperty({ name: "items", childTagNames: ["note"] })],
      }),
      new ElementType({
        tagName: "note",
        description: "one note",
        properties: [new ValueProperty({ name: "text", type: SimpleValue.string })],
      }),
    ],
  });
}

/** The document's notes in order, as [text, ...]. */
export function notesOf(doc: MeshDocument): unknown[] {
  return doc.root.getChildren().map((child) => (child instanceof Element ? child.getAttribute("text") : null));
}

/** sync's runtime logs every applied change (document.js); thousands of lines would drown the output. */
export function silenceSyncLog(): void {
  const original = console.log;
  vi.spyOn(console, "log").mockImplementation((...args: unknown[]) => {
    if (args[0] === "Applying changes to doc:" || args[0] === "GOT RESPONSE") return;
    original(...args);
  });
}
