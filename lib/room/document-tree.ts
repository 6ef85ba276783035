import type {
  Attributes,
  ChildTag,
  DocumentDeclaration,
  ElementDeclaration,
  ElementSnapshot,
  Tag,
} from "@/lib/room/document-schema";

/**
 * Reading and writing the SDK's MeshDocument tree against a declaration.
 * The tree is reached through the few members used here (no SDK classes
 * imported), and whatever it holds is untrusted: reading never throws.
 */

interface SdkNode {
  tagName?: unknown;
  attributes?: unknown;
  delta?: unknown;
  getChildren?: () => unknown[];
}

export interface SdkElement {
  tagName: string;
  attributes: Record<string, unknown>;
  getChildren(): unknown[];
  getNodeByID(id: string): SdkElement | null;
  setAttribute(name: string, value: unknown): void;
  removeAttribute(name: string): void;
  createChildElement(tag: string, attributes: Record<string, unknown>): unknown;
  delete(): void;
}

export interface SdkDocument {
  readonly id: string;
  readonly root: SdkElement;
  sendChanges(changes: Record<string, unknown>): void;
  on(event: "updated", listener: () => void): void;
  off(event: "updated", listener: () => void): void;
}

export interface ReadLimits {
  /** Elements read at most; the rest are skipped (and counted as unreadable). */
  maxElements: number;
  /** Longest text of a `text` element, and of a string attribute. */
  maxText: number;
}

export const DEFAULT_LIMITS: ReadLimits = { maxElements: 5_000, maxText: 100_000 };

export interface ReadResult<D extends DocumentDeclaration> {
  root: ElementSnapshot<D, D["root"] & Tag<D>>;
  /** Nodes and attribute values skipped because the schema does not allow them there. */
  unreadable: number;
}

type AnySnapshot = {
  id: string;
  tag: string;
  attributes: Record<string, unknown>;
  children: AnySnapshot[];
  text: string;
};

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

const isElementNode = (node: unknown): node is SdkNode & { tagName: string; getChildren: () => unknown[] } =>
  isRecord(node) && typeof node.tagName === "string" && typeof node.getChildren === "function";

function textOf(node: unknown, maxText: number): string | null {
  if (!isRecord(node) || !Array.isArray(node.delta)) return null;
  let text = "";
  for (const run of node.delta as unknown[]) {
    // Embeds and other non-string inserts are skipped: a text element holds text.
    if (isRecord(run) && typeof run.insert === "string") text += run.insert;
    if (text.length >= maxText) return text.slice(0, maxText);
  }
  return text;
}

function sameSnapshot(a: AnySnapshot, b: AnySnapshot): boolean {
  if (a.tag !== b.tag || a.text !== b.text || a.children.length !== b.children.length) return false;
  if (a.children.some((child, index) => child !== b.children[index])) return false;
  const keys = Object.keys(a.attributes);
  return (
    keys.length === Object.keys(b.attributes).length && keys.every((key) => a.attributes[key] === b.attributes[key])
  );
}

/**
 * The document as plain, immutable data, checked against the declaration.
 * An element that did not change keeps the object it had in `previous`, so a
 * selector that picks it (or a component that memoises on it) sees no change.
 */
export function readDocument<D extends DocumentDeclaration>(
  declaration: D,
  root: unknown,
  previous: ReadResult<D> | null,
  limits: ReadLimits = DEFAULT_LIMITS,
): ReadResult<D> {
  const before = new Map<string, AnySnapshot>();
  const remember = (snapshot: AnySnapshot) => {
    before.set(snapshot.id, snapshot);
    snapshot.children.forEach(remember);
  };
  if (previous) remember(previous.root as unknown as AnySnapshot);

  let unreadable = 0;
  let budget = limits.maxElements;
  const seen = new Set<string>();

  function read(node: SdkNode & { tagName: string; getChildren: () => unknown[] }, fallbackId: string): AnySnapshot {
    const tag = node.tagName;
    const element: ElementDeclaration = declaration.elements[tag] ?? {};
    const raw = isRecord(node.attributes) ? node.attributes : {};
    const id = typeof raw.$id === "string" && !seen.has(raw.$id) ? raw.$id : fallbackId;
    seen.add(id);

    const attributes: Record<string, unknown> = {};
    for (const [name, type] of Object.entries(element.attributes ?? {})) {
      const value = raw[name];
      if (value === undefined || value === null) continue;
      const fits =
        typeof value === type &&
        (type !== "number" || Number.isFinite(value)) &&
        (type !== "string" || (value as string).length <= limits.maxText);
      if (fits) attributes[name] = value;
      else unreadable++;
    }
    for (const name of Object.keys(raw)) {
      if (name !== "$id" && !(name in (element.attributes ?? {}))) unreadable++;
    }

    let text = "";
    const children: AnySnapshot[] = [];
    const nodes = node.getChildren();
    if (tag === "text") {
      const body = nodes.length > 0 ? textOf(nodes[0], limits.maxText) : "";
      if (body === null) unreadable++;
      unreadable += Math.max(0, nodes.length - 1);
      text = body ?? "";
    } else {
      const allowed = element.children ?? [];
      nodes.forEach((child, index) => {
        if (!isElementNode(child) || !allowed.includes(child.tagName) || budget <= 0) {
          unreadable++;
          return;
        }
        budget--;
        children.push(read(child, `${id}/${index}`));
      });
    }

    const next: AnySnapshot = { id, tag, attributes, children, text };
    const old = before.get(id);
    return old && sameSnapshot(old, next) ? old : next;
  }

  // The root is read as the declared root whatever tag the room gave it.
  const rootNode = isElementNode(root) ? root : null;
  const result = read(
    {
      tagName: declaration.root,
      attributes: rootNode?.attributes,
      getChildren: () => rootNode?.getChildren() ?? [],
    },
    "root",
  );
  const snapshot = result as unknown as ReadResult<D>["root"];
  if (previous && previous.root === snapshot && previous.unreadable === unreadable) return previous;
  return { root: snapshot, unreadable };
}

/** Typed edits of one element of a live document. */
export interface ElementWriter<D extends DocumentDeclaration, T extends Tag<D>> {
  readonly id: string;
  /** Sets the given attributes (an `undefined` value removes one). */
  set(values: Attributes<D, T>): void;
  /** Adds a child at the end and returns a writer for it. */
  append<C extends ChildTag<D, T>>(tag: C, attributes?: Attributes<D, C>): ElementWriter<D, C>;
  /** A writer for the descendant with this id (from a snapshot), or null when it is gone. */
  find<C extends Tag<D>>(snapshot: { id: string; tag: C }): ElementWriter<D, C> | null;
  /** Removes this element (not the root). */
  remove(): void;
  /** For a `text` element: insert at a UTF-16 index. */
  insertText(index: number, text: string): void;
  /** For a `text` element: delete `length` UTF-16 units from `index`. */
  deleteText(index: number, length: number): void;
}

function checkValues(declaration: DocumentDeclaration, tag: string, values: Record<string, unknown>): void {
  const types = declaration.elements[tag]?.attributes ?? {};
  for (const [name, value] of Object.entries(values)) {
    const type = types[name];
    if (!type) throw new TypeError(`"${tag}" has no attribute "${name}" in its schema.`);
    if (value !== undefined && typeof value !== type) throw new TypeError(`"${tag}.${name}" takes a ${type}.`);
  }
}

export function elementWriter<D extends DocumentDeclaration, T extends Tag<D>>(
  declaration: D,
  doc: SdkDocument,
  element: SdkElement,
  isRoot = false,
): ElementWriter<D, T> {
  const textNode = () => {
    const node = element.getChildren()[0] as { insert?: unknown; delete?: unknown } | undefined;
    if (element.tagName !== "text" || typeof node?.insert !== "function") {
      throw new TypeError(`"${element.tagName}" holds no text.`);
    }
    return node as { insert(index: number, text: string): void; delete(index: number, length: number): void };
  };
  return {
    id: isRoot ? "root" : String(element.attributes.$id),
    set(values) {
      checkValues(declaration, element.tagName, values);
      for (const [name, value] of Object.entries(values)) {
        if (value === undefined) element.removeAttribute(name);
        else element.setAttribute(name, value);
      }
    },
    append(tag, attributes) {
      const values = Object.fromEntries(Object.entries(attributes ?? {}).filter(([, value]) => value !== undefined));
      checkValues(declaration, tag, values);
      const child = element.createChildElement(tag, values) as SdkElement | null;
      if (!child) throw new Error(`"${tag}" was not added.`);
      return elementWriter(declaration, doc, child);
    },
    find(snapshot) {
      const found = element.getNodeByID(snapshot.id);
      return found && found.tagName === snapshot.tag ? elementWriter(declaration, doc, found) : null;
    },
    remove() {
      if (isRoot) throw new TypeError("The root cannot be removed.");
      element.delete();
    },
    insertText(index, text) {
      textNode().insert(index, text);
    },
    deleteText(index, length) {
      textNode().delete(index, length);
    },
  };
}

/**
 * Empties the document: every child of the root (including nodes this page
 * could not read) and every root attribute. Works on a document holding
 * content MeshDocument cannot show, which is what a reset is for.
 */
export function clearDocument(doc: SdkDocument): void {
  const count = doc.root.getChildren().length;
  if (count > 0) {
    doc.sendChanges({ documentID: doc.id, changes: [{ nodeID: null, deleteChildren: { index: 0, length: count } }] });
  }
  for (const name of Object.keys(doc.root.attributes)) {
    if (name !== "$id") doc.root.removeAttribute(name);
  }
}
