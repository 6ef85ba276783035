// A document's MeshSchema, as the room keeps it: parsed with the SDK's own
// MeshSchema.fromJson, so the room accepts exactly the schemas a client can
// open. An empty or invalid schema is refused rather than stored: stored, it
// would make the document unopenable for everyone (schema squatting).
//
// Also builds a document's first content from JSON (`initial_json` of
// sync.open, `json` of sync.create): the JSON form the schema describes,
// `{<root tag>: {<attribute>: <value>, <child property>: [{<tag>: {...}}, ...]}}`,
// the same shape Element.appendJson takes in the SDK.

import { randomUUID } from "node:crypto";
import { createRequire } from "node:module";
import path from "node:path";
import * as Y from "yjs";
import type { ElementType, MeshSchema as MeshSchemaType } from "@meshagent/meshagent";
import type { JsonObject } from "./framing";
import { ErrorCode, RequestError } from "./content";
import { ROOT_TYPE } from "./sync-update-check";

// The SDK's index also loads the copy of Yjs bundled into its runtime, which then warns next to ours
// ("Yjs was already imported") in the room's log; its schema module alone depends on nothing.
const require = createRequire(import.meta.url);
const { ChildProperty, MeshSchema } = require(
  path.join(path.dirname(require.resolve("@meshagent/meshagent")), "schema.js"),
) as typeof import("@meshagent/meshagent");

const MAX_SCHEMA_BYTES = 256 * 1024;
/** Elements an initial document may create; the document size cap bounds the rest. */
const MAX_INITIAL_ELEMENTS = 10_000;

export interface DocumentSchema {
  json: JsonObject;
  /** Element tags the schema declares. */
  tags: ReadonlySet<string>;
  mesh: MeshSchemaType;
  /** The JSON with its keys sorted: equal for equal schemas, whatever their key order. */
  canonical: string;
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (typeof value === "object" && value !== null) {
    const entries = Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`);
    return `{${entries.join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

export const sameSchema = (a: DocumentSchema, b: DocumentSchema): boolean => a.canonical === b.canonical;

function invalid(why: string): RequestError {
  return new RequestError(`invalid schema: ${why}`, ErrorCode.INVALID_REQUEST);
}

export function parseSchema(value: unknown): DocumentSchema {
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw invalid("must be a JSON object");
  const json = value as JsonObject;
  if (JSON.stringify(json).length > MAX_SCHEMA_BYTES) throw invalid(`larger than ${MAX_SCHEMA_BYTES} bytes`);
  let mesh: MeshSchemaType;
  try {
    mesh = MeshSchema.fromJson(json);
  } catch (error) {
    // fromJson throws TypeErrors on shapes it does not expect ({} included): all mean "not a MeshSchema".
    throw invalid(`not a MeshSchema (${error instanceof Error ? error.message : String(error)})`);
  }
  const tags = new Set(mesh.elements.map((element) => element.tagName));
  return { json, tags, mesh, canonical: canonicalJson(json) };
}

/** A schema read from disk or room storage: null when absent or unusable, never an exception. */
export function tryParseSchema(value: unknown): DocumentSchema | null {
  if (value === undefined || value === null) return null;
  try {
    return parseSchema(value);
  } catch {
    return null;
  }
}

function badJson(why: string): RequestError {
  return new RequestError(`invalid initial document JSON: ${why}`, ErrorCode.INVALID_REQUEST);
}

const isPrimitive = (value: unknown): boolean =>
  value === null ||
  typeof value === "string" ||
  typeof value === "boolean" ||
  (typeof value === "number" && Number.isFinite(value));

/** The update that turns an empty document into `json`, checked against the schema. */
export function initialUpdate(schema: DocumentSchema, json: unknown): Uint8Array {
  if (typeof json !== "object" || json === null || Array.isArray(json)) throw badJson("must be a JSON object");
  const rootTag = schema.mesh.root.tagName;
  const keys = Object.keys(json);
  if (keys.length !== 1 || keys[0] !== rootTag) throw badJson(`must be {"${rootTag}": {...}}`);
  const doc = new Y.Doc();
  const root = doc.get(ROOT_TYPE, Y.XmlElement);
  let count = 0;
  const fill = (target: Y.XmlElement, type: ElementType, body: unknown, where: string): void => {
    if (typeof body !== "object" || body === null || Array.isArray(body)) throw badJson(`${where} must be an object`);
    for (const [name, value] of Object.entries(body)) {
      let property;
      try {
        property = type.property(name);
      } catch {
        throw badJson(`${where} has no property "${name}" in the schema`);
      }
      if (property instanceof ChildProperty) {
        if (!Array.isArray(value)) throw badJson(`${where}.${name} must be an array`);
        value.forEach((child: unknown, index) => {
          const at = `${where}.${name}[${index}]`;
          if (typeof child !== "object" || child === null || Array.isArray(child) || Object.keys(child).length !== 1) {
            throw badJson(`${at} must be {"<tag>": {...}}`);
          }
          const [tag, childBody] = Object.entries(child)[0];
          if (!property.isTagAllowed(tag)) throw badJson(`${at}: <${tag}> is not allowed in ${type.tagName}.${name}`);
          if (++count > MAX_INITIAL_ELEMENTS) throw badJson(`more than ${MAX_INITIAL_ELEMENTS} elements`);
          const element = new Y.XmlElement(tag);
          // Like the SDK's createChildElement: every element has an $id, and a "text" element its text node.
          element.setAttribute("$id", randomUUID());
          if (tag === "text") element.insert(0, [new Y.XmlText()]);
          target.push([element]);
          fill(element, schema.mesh.element(tag), childBody, at);
        });
      } else {
        if (!isPrimitive(value)) throw badJson(`${where}.${name} must be a string, number, boolean or null`);
        target.setAttribute(name, value as string);
      }
    }
  };
  doc.transact(() => fill(root, schema.mesh.root, (json as JsonObject)[rootTag], rootTag));
  return Y.encodeStateAsUpdate(doc);
}
