// A small MeshSchema of notes for document-sync tests and benchmarks, and a
// way to read such a document back as plain data. Pure: no test runner.

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
