import * as z from "zod/mini";
import { UNNAMED, normalizeDisplayName } from "@/lib/shared/display-name";
import type { Schema } from "@/lib/room/schema";

/**
 * Who is in the room, built from the room's presence messages and nothing
 * else. Everything here arrives from other participants, so it is parsed at
 * this edge and a message that does not add up is dropped:
 * - presence about participant X must come from X (a broadcast of type
 *   `participant.disabled` about someone else is a spoof, whatever the SDK does with it);
 * - `messaging.enabled` must come from ourselves (the server answers our enable);
 * - a participant keeps the name and role it joined with; a later `name`
 *   attribute is shown as a rename, never silently adopted.
 */

export interface RoomParticipant {
  id: string;
  /** "user", "agent", or another role the server assigned. */
  role: string;
  /** The name it joined with, safe to render. */
  name: string;
  /** A later, different `name` attribute, if it set one. */
  renamedTo: string | null;
  /** Raw attribute values: read them with readAttribute() and a schema. */
  attributes: Readonly<Record<string, unknown>>;
}

export type Roster = ReadonlyMap<string, RoomParticipant>;

export const EMPTY_ROSTER: Roster = new Map();

/** What one participant may keep in attributes before we stop listening (the server should cap it first). */
const MAX_ATTRIBUTE_KEYS = 128;
const MAX_KEY_LENGTH = 256;

const idSchema = z.string().check(z.minLength(1), z.maxLength(128));
const roleSchema = z.catch(z.string().check(z.maxLength(32), z.regex(/^[a-z][a-z0-9_-]*$/)), "participant");
const attributesSchema = z.catch(z.record(z.string(), z.unknown()), {});

const recordSchema = z.object({ id: idSchema, role: roleSchema, attributes: z.optional(attributesSchema) });

export interface PresenceMessage {
  fromParticipantId: unknown;
  type: unknown;
  message: unknown;
}

function boundedAttributes(input: Record<string, unknown>, base: Readonly<Record<string, unknown>> = {}) {
  const next: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(input)) {
    if (key.length > MAX_KEY_LENGTH || key === "__proto__") continue;
    if (!(key in next) && Object.keys(next).length >= MAX_ATTRIBUTE_KEYS) continue;
    if (value === null || value === undefined) delete next[key];
    else next[key] = value;
  }
  return next;
}

function participantFrom(record: z.infer<typeof recordSchema>): RoomParticipant {
  const attributes = boundedAttributes(record.attributes ?? {});
  return {
    id: record.id,
    role: record.role,
    name: normalizeDisplayName(attributes.name) ?? UNNAMED,
    renamedTo: null,
    attributes,
  };
}

function withParticipant(roster: Roster, participant: RoomParticipant): Roster {
  const next = new Map(roster);
  next.set(participant.id, participant);
  return next;
}

/**
 * The roster after one room message, or the same roster object when the
 * message changes nothing (not presence, or not believable). Never throws.
 */
export function applyPresenceMessage(roster: Roster, input: PresenceMessage, localId: string | null): Roster {
  const from = typeof input.fromParticipantId === "string" ? input.fromParticipantId : null;
  if (from === null) return roster;
  const body = typeof input.message === "object" && input.message !== null ? input.message : {};

  switch (input.type) {
    case "messaging.enabled": {
      if (from !== localId) return roster;
      const list = (body as { participants?: unknown }).participants;
      if (!Array.isArray(list)) return roster;
      let next = roster;
      for (const item of list.slice(0, 10_000)) {
        const record = recordSchema.safeParse(item);
        if (!record.success || record.data.id === localId || next.has(record.data.id)) continue;
        next = withParticipant(next, participantFrom(record.data));
      }
      return next;
    }
    case "participant.enabled": {
      const record = recordSchema.safeParse(body);
      if (!record.success || record.data.id !== from || from === localId) return roster;
      // Already known: a re-announcement may not change who it is.
      if (roster.has(from)) return roster;
      return withParticipant(roster, participantFrom(record.data));
    }
    case "participant.disabled": {
      const id = (body as { id?: unknown }).id;
      if (id !== from || !roster.has(from)) return roster;
      const next = new Map(roster);
      next.delete(from);
      return next;
    }
    case "participant.attributes": {
      const current = roster.get(from);
      const delta = attributesSchema.safeParse((body as { attributes?: unknown }).attributes);
      if (!current || !delta.success) return roster;
      const attributes = boundedAttributes(delta.data, current.attributes);
      const newName = "name" in delta.data ? normalizeDisplayName(delta.data.name) : undefined;
      const renamedTo = newName === undefined ? current.renamedTo : newName === current.name ? null : newName;
      return withParticipant(roster, { ...current, attributes, renamedTo });
    }
    default:
      return roster;
  }
}

/** Seeds a roster from participants the SDK already knows (those that arrived before we listened). */
export function rosterFromRecords(records: Iterable<unknown>, localId: string | null): Roster {
  let roster: Roster = EMPTY_ROSTER;
  for (const item of records) {
    const record = recordSchema.safeParse(item);
    if (!record.success || record.data.id === localId || roster.has(record.data.id)) continue;
    roster = withParticipant(roster, participantFrom(record.data));
  }
  return roster;
}

/** One attribute of a participant, parsed; undefined when absent or not what the schema says. */
export function readAttribute<T>(participant: RoomParticipant, key: string, schema: Schema<T>): T | undefined {
  if (!Object.hasOwn(participant.attributes, key)) return undefined;
  const parsed = z.safeParse(schema, participant.attributes[key]);
  return parsed.success ? parsed.data : undefined;
}

/** Stable order for lists: agents first, then by name. */
export function sortedParticipants(roster: Roster): RoomParticipant[] {
  return [...roster.values()].sort(
    (a, b) =>
      Number(b.role === "agent") - Number(a.role === "agent") ||
      a.name.localeCompare(b.name) ||
      a.id.localeCompare(b.id),
  );
}
