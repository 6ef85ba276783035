/**
 * A room document's shape, declared in TypeScript: the MeshSchema JSON the
 * room needs is generated from it (never written by hand), reads are parsed
 * against it (everything in a document is untrusted), and its types make
 * reads and writes typed.
 *
 * MeshDocument's model: a tree of elements, each with a tag, attributes
 * (string, number or boolean values) and, optionally, children of listed
 * tags. An element tagged `text` holds editable text instead of children.
 * Pure: no SDK classes, so it costs the room page nothing until a document
 * is opened.
 */

type AttributeType = "string" | "number" | "boolean";

export interface ElementDeclaration {
  description?: string;
  attributes?: Readonly<Record<string, AttributeType>>;
  /** Tags this element may hold, in any order. Leave out for a leaf; the `text` tag holds text. */
  children?: readonly string[];
}

export interface DocumentDeclaration {
  /** The root element's tag: one of `elements`. */
  root: string;
  elements: Readonly<Record<string, ElementDeclaration>>;
}

type ValueOf<T extends AttributeType> = T extends "string" ? string : T extends "number" ? number : boolean;

export type Tag<D extends DocumentDeclaration> = keyof D["elements"] & string;

/** An element's attributes as written: every declared attribute, optional. */
export type Attributes<D extends DocumentDeclaration, T extends Tag<D>> = D["elements"][T] extends {
  attributes: infer A extends Record<string, AttributeType>;
}
  ? { [K in keyof A]?: ValueOf<A[K]> }
  : Record<never, never>;

export type ChildTag<D extends DocumentDeclaration, T extends Tag<D>> = D["elements"][T] extends {
  children: readonly (infer C)[];
}
  ? C & Tag<D>
  : never;

/**
 * An element as read: attributes of the wrong type are left out, children of
 * tags the schema does not allow there are skipped. `text` is the text of a
 * `text` element ("" for others). Immutable: a new object whenever it changed.
 */
export type ElementSnapshot<D extends DocumentDeclaration, T extends Tag<D> = Tag<D>> = {
  [K in T]: {
    readonly id: string;
    readonly tag: K;
    readonly attributes: Readonly<Attributes<D, K>>;
    readonly children: readonly ElementSnapshot<D, ChildTag<D, K>>[];
    readonly text: string;
  };
}[T];

const REF = "#/$defs/";

function elementJson(tag: string, element: ElementDeclaration) {
  const properties: Record<string, unknown> = {};
  for (const [name, type] of Object.entries(element.attributes ?? {})) {
    // MeshSchema writes an optional value property as [type, "null"].
    properties[name] = { type: [type, "null"] };
  }
  if (element.children) {
    properties.children = { type: "array", items: { anyOf: element.children.map((child) => ({ $ref: REF + child })) } };
  }
  return {
    type: "object",
    additionalProperties: false,
    description: element.description ?? tag,
    required: [tag],
    properties: {
      [tag]: { type: "object", additionalProperties: false, required: Object.keys(properties), properties },
    },
  };
}

/** Throws on a declaration MeshSchema would refuse, with what to fix. */
function checkDeclaration(declaration: DocumentDeclaration): void {
  const tags = Object.keys(declaration.elements);
  if (!tags.includes(declaration.root)) throw new Error(`The root "${declaration.root}" is not one of the elements.`);
  for (const [tag, element] of Object.entries(declaration.elements)) {
    if (tag === "text" && (element.children || element.attributes)) {
      throw new Error('A "text" element holds text: it takes no attributes or children.');
    }
    if (element.attributes && "children" in element.attributes && element.children) {
      throw new Error(`"${tag}" has an attribute named "children", the name its child list uses.`);
    }
    for (const child of element.children ?? []) {
      if (!tags.includes(child)) throw new Error(`"${tag}" lists the child "${child}", which is not an element.`);
    }
  }
}

/** The MeshSchema JSON for a declaration, exactly as the SDK's MeshSchema.toJson() writes it. */
export function meshSchemaJson(declaration: DocumentDeclaration): Record<string, unknown> {
  checkDeclaration(declaration);
  const defs = Object.fromEntries(
    Object.entries(declaration.elements).map(([tag, element]) => [tag, elementJson(tag, element)]),
  );
  return { $root_tag_ref: REF + declaration.root, $defs: defs, ...defs[declaration.root] };
}
