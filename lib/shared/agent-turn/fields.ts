// Small zod/mini building blocks shared by the turn-protocol schemas.

import * as z from "zod/mini";
import { TURN_LIMITS as L } from "./limits";

/** A string of at most `max` characters. */
export const str = (max: number) => z.string().check(z.maxLength(max));

/** A non-empty string of at most `max` characters. */
export const nonEmpty = (max: number) => z.string().check(z.minLength(1), z.maxLength(max));

/**
 * Optional on the wire: MeshAgent drops None fields, older agents send null.
 * Both come out as undefined, so readers test one thing.
 */
export const opt = <T extends z.core.SomeType>(schema: T) =>
  z.optional(
    z.pipe(
      z.nullish(schema),
      z.transform((value) => value ?? undefined),
    ),
  );

export const id = nonEmpty(L.id);
export const threadId = nonEmpty(L.threadId);
export const name = str(L.name);
export const timestamp = str(L.timestamp);
export const count = z.int().check(z.gte(0));

/**
 * An array of at most `max` items, its length checked before any item is
 * parsed: 100,000 entries cost one comparison, not 100,000 item parses.
 */
export const cappedArray = <T extends z.core.SomeType>(item: T, max: number) =>
  z.pipe(z.array(z.unknown()).check(z.maxLength(max)), z.array(item));

/** JSON text length of `value`, or Infinity when it is not JSON (cycles, BigInt). */
export function jsonLength(value: unknown): number {
  try {
    return JSON.stringify(value)?.length ?? 0;
  } catch {
    return Number.POSITIVE_INFINITY;
  }
}

/** Any JSON value whose text is at most `max` characters. */
export const boundedJson = (max: number = L.json) =>
  z.unknown().check(z.refine((value) => value !== undefined && jsonLength(value) <= max, "JSON value too large"));

/** A JSON object (tool arguments, schemas) whose text is at most `max` characters. */
export const boundedObject = (max: number = L.json) =>
  z.record(z.string(), z.unknown()).check(z.refine((value) => jsonLength(value) <= max, "JSON object too large"));

/** `{message, code}` as MeshAgent's AgentError. */
export const agentError = z.object({
  message: str(L.errorMessage),
  code: opt(str(L.code)),
});
export type AgentError = z.infer<typeof agentError>;
