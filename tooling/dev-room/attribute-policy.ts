// What a participant may do with its attributes via `set_attributes`: keys the
// server owns stay as the token made them (D4), forbidden keys are refused, and
// size and count are capped per participant (D6). The policy is pure so it can
// be tested on its own; rooms.ts applies the result and fans it out.

import type { JsonObject } from "./framing";
import { ATTRIBUTE_LIMITS, FORBIDDEN_ATTRIBUTE_KEYS, SERVER_OWNED_ATTRIBUTES } from "./room-limits";

export interface AttributeDecision {
  /** Keys to merge and announce; empty if nothing changes. */
  accepted: JsonObject;
  /** One line per refused key or limit, for the error sent back and the log. */
  refusals: string[];
}

const utf8Length = (text: string): number => Buffer.byteLength(text, "utf8");

/** JSON byte size of a value; values JSON cannot carry count as refused. */
function valueBytes(value: unknown): number | null {
  const json = JSON.stringify(value);
  return typeof json === "string" ? utf8Length(json) : null;
}

function entryBytes(key: string, value: unknown): number {
  return utf8Length(key) + (valueBytes(value) ?? 0);
}

export function decideAttributes(current: JsonObject, delta: JsonObject): AttributeDecision {
  const accepted: JsonObject = {};
  const refusals: string[] = [];
  for (const key of Object.keys(delta)) {
    const value = delta[key];
    if (SERVER_OWNED_ATTRIBUTES.has(key)) {
      // 0.35.8 echoes its initial attributes back on join: the same value is a silent no-op.
      if (JSON.stringify(value) !== JSON.stringify(current[key])) {
        refusals.push(`attribute "${key}" is set by the room server and cannot be changed`);
      }
      continue;
    }
    if (FORBIDDEN_ATTRIBUTE_KEYS.has(key)) {
      refusals.push(`attribute key "${key}" is not allowed`);
      continue;
    }
    if (utf8Length(key) > ATTRIBUTE_LIMITS.maxKeyBytes) {
      refusals.push(`attribute key longer than ${ATTRIBUTE_LIMITS.maxKeyBytes} bytes`);
      continue;
    }
    const size = valueBytes(value);
    if (size === null || size > ATTRIBUTE_LIMITS.maxValueBytes) {
      refusals.push(`attribute "${key}" is larger than ${ATTRIBUTE_LIMITS.maxValueBytes} bytes`);
      continue;
    }
    assignAttributes(accepted, { [key]: value });
  }

  // Totals are checked on the result, so a delta either fits as a whole or changes nothing.
  // A key set to null is removed (19 M7: clients "clear" keys that way), so it counts for nothing.
  const merged = applyAttributes({ ...current }, accepted);
  const keys = Object.keys(merged);
  const total = keys.reduce((sum, key) => sum + entryBytes(key, merged[key]), 0);
  if (keys.length > ATTRIBUTE_LIMITS.maxKeys) {
    refusals.push(`a participant may hold at most ${ATTRIBUTE_LIMITS.maxKeys} attributes`);
    return { accepted: {}, refusals };
  }
  if (total > ATTRIBUTE_LIMITS.maxTotalBytes) {
    refusals.push(`a participant's attributes may total at most ${ATTRIBUTE_LIMITS.maxTotalBytes} bytes`);
    return { accepted: {}, refusals };
  }
  return { accepted, refusals };
}

/** Merges `delta` into `target` in place, removing the keys it sets to null. */
export function applyAttributes(target: JsonObject, delta: JsonObject): JsonObject {
  assignAttributes(target, delta);
  for (const key of Object.keys(delta)) if (delta[key] === null) delete target[key];
  return target;
}

/** Merges in place; defines rather than assigns, so no key can reach a setter such as `__proto__`. */
function assignAttributes(target: JsonObject, delta: JsonObject): JsonObject {
  for (const key of Object.keys(delta)) {
    Object.defineProperty(target, key, { value: delta[key], enumerable: true, writable: true, configurable: true });
  }
  return target;
}
