// What a client's Yjs update may put into a shared document, checked before
// the update touches it. The SDK's MeshDocument (runtime/entrypoint.js
// ServerXmlDocument.serialize, document.js RuntimeDocument) holds exactly:
//   - one root type "xml", a Y.XmlElement;
//   - as children of an element: Y.XmlElement (tag known to the document's
//     schema: RuntimeDocument._createNode throws on an unknown tag) or Y.XmlText;
//     anything else throws "Unexpected node type" on every later open;
//   - as element attributes: one JSON primitive (string, number, boolean, null),
//     the value types MeshSchema knows (SimpleValue);
//   - inside a Y.XmlText: strings and formatting marks with primitive values
//     (RuntimeDocument.receiveChanges slices every insert as a string).
// Relayed or saved, anything else breaks the document for everyone, so it is
// refused to its sender before anything is applied.
//
// An update must also be integrable right now: Yjs keeps structs whose
// dependencies it has not seen "pending" without telling anyone, and the
// sender's copy then silently diverges from everyone else's. Those are
// refused too, so the sender learns it must reopen (resync) the document.

import * as Y from "yjs";
import { ErrorCode, RequestError } from "./content";

/** The root type MeshDocument keeps its tree in (`doc.get("xml", YXmlElement)` in the SDK's runtime). */
export const ROOT_TYPE = "xml";

type Struct = Y.Item | Y.GC | Y.Skip;
type ParentKind = "element" | "text" | "other";
interface Placement {
  kind: ParentKind;
  /** Attribute name for map entries, null for list content. */
  sub: string | null;
}
/** A parent the document no longer has (garbage collected): Yjs discards what is put into it. */
const DISCARDED = null;

function malformed(why: string): RequestError {
  return new RequestError(`malformed sync update: ${why}`, ErrorCode.INVALID_REQUEST);
}

export function unsupportedContent(why: string): RequestError {
  return new RequestError(
    `malformed sync update: ${why}, which a MeshDocument cannot hold; nothing was applied`,
    ErrorCode.INVALID_REQUEST,
  );
}

export function missingDependencies(why: string): RequestError {
  return new RequestError(
    `sync update refused: it depends on changes the room does not have (${why}); ` +
      "nothing was applied, reopen the document to resync",
    ErrorCode.INVALID_REQUEST,
  );
}

const isPrimitive = (value: unknown): boolean =>
  value === null ||
  typeof value === "string" ||
  typeof value === "boolean" ||
  (typeof value === "number" && Number.isFinite(value));

function kindOfType(type: unknown, root: unknown): ParentKind {
  if (type === root || type instanceof Y.XmlElement) return "element";
  if (type instanceof Y.XmlText) return "text";
  return "other";
}

export interface UpdateEffect {
  /** It holds changes the document does not have yet (it may grow the document). */
  adds: boolean;
  /** It deletes something the document still has. */
  deletes: boolean;
}

/**
 * Checks `update` against the document `doc` whose element tags are `tags`.
 * Throws a RequestError (1002) and leaves `doc` untouched if it is refused.
 * Returns what applying it would change: clients echo every update they
 * receive, and those change nothing.
 */
export function checkUpdate(doc: Y.Doc, update: Uint8Array, tags: ReadonlySet<string>): UpdateEffect {
  let decoded: { structs: Struct[]; ds: { clients: Map<number, { clock: number; len: number }[]> } };
  try {
    decoded = Y.decodeUpdate(update) as unknown as typeof decoded;
  } catch (error) {
    throw malformed(`not a Yjs v1 update (${error instanceof Error ? error.message : String(error)})`);
  }
  const root = doc.get(ROOT_TYPE, Y.XmlElement);

  // Per client: the update's structs in clock order, and how far the document plus the update reach without a gap.
  const byClient = new Map<number, Struct[]>();
  for (const struct of decoded.structs) {
    const list = byClient.get(struct.id.client);
    if (list) list.push(struct);
    else byClient.set(struct.id.client, [struct]);
  }
  const knownEnd = new Map<number, number>();
  for (const [client, structs] of byClient) {
    let end = Y.getState(doc.store, client);
    for (const struct of structs) {
      if (struct instanceof Y.Skip || struct.id.clock > end) break;
      end = Math.max(end, struct.id.clock + struct.length);
    }
    knownEnd.set(client, end);
  }
  const reach = (client: number): number => knownEnd.get(client) ?? Y.getState(doc.store, client);
  const known = (id: Y.ID): boolean => id.clock < reach(id.client);

  for (const struct of decoded.structs) {
    if (struct instanceof Y.Skip) continue;
    if (struct.id.clock + struct.length > reach(struct.id.client)) {
      throw missingDependencies(`earlier changes of client ${struct.id.client} before clock ${struct.id.clock}`);
    }
    if (!(struct instanceof Y.Item)) continue;
    for (const ref of [struct.origin, struct.rightOrigin, struct.parent instanceof Y.ID ? struct.parent : null]) {
      if (ref !== null && !known(ref)) throw missingDependencies(`item ${ref.client}:${ref.clock}`);
    }
  }
  for (const [client, deletes] of decoded.ds.clients) {
    for (const { clock, len } of deletes) {
      if (clock + len > reach(client)) throw missingDependencies(`deletion of ${client}:${clock}`);
    }
  }

  // Where each item lands: its parent's kind and whether it is an attribute, resolved the way Yjs integrates it.
  const fromUpdate = (id: Y.ID): Struct | undefined => {
    const structs = byClient.get(id.client);
    if (!structs || id.clock < Y.getState(doc.store, id.client)) return undefined;
    return structs.find((s) => id.clock >= s.id.clock && id.clock < s.id.clock + s.length);
  };
  const placements = new Map<Y.Item, Placement | typeof DISCARDED>();
  const placementOf = (item: Y.Item, depth = 0): Placement | typeof DISCARDED => {
    const cached = placements.get(item);
    if (cached !== undefined) return cached;
    // Chains of origins inside one update are finite; this bounds a crafted cycle.
    if (depth > 10_000) throw malformed("origin chain too long");
    let placement: Placement | typeof DISCARDED;
    if (typeof item.parent === "string") {
      if (item.parent !== ROOT_TYPE) throw malformed(`unexpected root type ${JSON.stringify(item.parent)}`);
      placement = { kind: "element", sub: item.parentSub };
    } else if (item.parent instanceof Y.ID) {
      placement = parentItemPlacement(item.parent, item.parentSub);
    } else {
      const neighbour = item.origin ?? item.rightOrigin;
      if (neighbour === null) throw malformed("an item without parent or neighbours");
      placement = neighbourPlacement(neighbour, depth);
    }
    placements.set(item, placement);
    return placement;
  };
  const parentItemPlacement = (id: Y.ID, sub: string | null): Placement | typeof DISCARDED => {
    const inUpdate = fromUpdate(id);
    const parent = inUpdate ?? Y.getItem(doc.store, id);
    if (parent instanceof Y.GC) return DISCARDED;
    if (!(parent instanceof Y.Item) || !(parent.content instanceof Y.ContentType)) {
      throw malformed("an item whose parent is not a shared type");
    }
    if (inUpdate === undefined && parent.deleted) return DISCARDED;
    return { kind: kindOfType(parent.content.type, root), sub };
  };
  const neighbourPlacement = (id: Y.ID, depth: number): Placement | typeof DISCARDED => {
    const inUpdate = fromUpdate(id);
    if (inUpdate !== undefined) {
      return inUpdate instanceof Y.Item ? placementOf(inUpdate, depth + 1) : DISCARDED;
    }
    const neighbour = Y.getItem(doc.store, id);
    if (!(neighbour instanceof Y.Item) || neighbour.parent === null) return DISCARDED;
    const parent = neighbour.parent as unknown;
    if (parent instanceof Y.AbstractType) {
      const parentItem = parent._item;
      if (parentItem?.deleted) return DISCARDED;
      return { kind: kindOfType(parent, root), sub: neighbour.parentSub };
    }
    return DISCARDED;
  };

  let adds = false;
  for (const struct of decoded.structs) {
    if (struct instanceof Y.Skip) continue;
    // Yjs skips what the document has (an echo is all such): its content was checked when it first came.
    if (struct.id.clock + struct.length <= Y.getState(doc.store, struct.id.client)) continue;
    adds = true;
    if (!(struct instanceof Y.Item)) continue;
    const placement = placementOf(struct);
    checkContent(struct.content, placement, tags);
  }
  // With nothing added, every deleted range lies in the document (checked above).
  return { adds, deletes: !adds && deletesSomething(doc, decoded.ds.clients) };
}

function deletesSomething(doc: Y.Doc, ranges: Map<number, { clock: number; len: number }[]>): boolean {
  for (const [client, deletes] of ranges) {
    for (const { clock, len } of deletes) {
      for (let at = clock; at < clock + len;) {
        const struct = Y.getItem(doc.store, Y.createID(client, at)) as Struct;
        if (struct instanceof Y.Item && !struct.deleted) return true;
        at = struct.id.clock + struct.length;
      }
    }
  }
  return false;
}

function checkContent(content: Y.Item["content"], placement: Placement | null, tags: ReadonlySet<string>): void {
  // Deleted content carries nothing; content for a discarded parent is dropped by Yjs.
  if (content instanceof Y.ContentDeleted) return;
  if (content instanceof Y.ContentDoc) throw unsupportedContent("it embeds a sub-document");
  if (placement === null) return;
  const { kind, sub } = placement;
  if (kind === "other") throw unsupportedContent("it writes into a type other than XML elements and text");
  if (kind === "element" && sub === null) {
    if (content instanceof Y.ContentType) {
      const type = content.type;
      if (type instanceof Y.XmlElement) {
        if (!tags.has(type.nodeName)) {
          throw unsupportedContent(`it inserts an element <${type.nodeName}> its schema does not declare`);
        }
        return;
      }
      if (type instanceof Y.XmlText) return;
      throw unsupportedContent("it inserts a shared type other than an XML element or text");
    }
    throw unsupportedContent(`it inserts ${describe(content)} as a child of an element`);
  }
  if (kind === "element") {
    if (content instanceof Y.ContentAny && content.arr.length === 1 && isPrimitive(content.arr[0])) return;
    throw unsupportedContent(`attribute ${JSON.stringify(sub)} is set to ${describe(content)}`);
  }
  if (sub !== null) throw unsupportedContent(`it sets attribute ${JSON.stringify(sub)} on a text node`);
  if (content instanceof Y.ContentString) return;
  if (content instanceof Y.ContentFormat) {
    if (isPrimitive(content.value)) return;
    throw unsupportedContent(`text format ${JSON.stringify(content.key)} has a non-primitive value`);
  }
  throw unsupportedContent(`it inserts ${describe(content)} into a text`);
}

function describe(content: Y.Item["content"]): string {
  if (content instanceof Y.ContentAny) {
    const values = content.arr.map((v) => (v === null ? "null" : Array.isArray(v) ? "array" : typeof v));
    return `a JSON value (${[...new Set(values)].join(", ")})`;
  }
  if (content instanceof Y.ContentBinary) return "binary data";
  if (content instanceof Y.ContentEmbed) return "an embed";
  if (content instanceof Y.ContentFormat) return "a formatting mark";
  if (content instanceof Y.ContentString) return "a string";
  if (content instanceof Y.ContentJSON) return "a JSON value";
  if (content instanceof Y.ContentType) return "a shared type";
  return "unknown content";
}

/**
 * Removes every element whose tag `tags` does not declare (with what it
 * holds), for a document the room now serves with another schema: the SDK
 * refuses to open a document holding an element its schema lacks. Returns
 * how many were removed.
 */
export function removeUndeclaredElements(doc: Y.Doc, tags: ReadonlySet<string>): number {
  const foreign: Y.XmlElement[] = [];
  const visit = (parent: Y.XmlElement): void => {
    for (const child of parent.toArray()) {
      if (!(child instanceof Y.XmlElement)) continue;
      if (tags.has(child.nodeName)) visit(child);
      else foreign.push(child);
    }
  };
  visit(doc.get(ROOT_TYPE, Y.XmlElement));
  if (foreign.length === 0) return 0;
  doc.transact(() => {
    for (const element of foreign) {
      const parent = element.parent as Y.XmlElement;
      parent.delete(parent.toArray().indexOf(element), 1);
    }
  });
  return foreign.length;
}
