"use client";

import type { RoomClient } from "@meshagent/meshagent";
import { useEffect, useEffectEvent } from "react";
import * as z from "zod/mini";
import { useRoomContext } from "@/lib/room/room-context";
import type { RoomParticipant } from "@/lib/room/roster";
import type { Schema } from "@/lib/room/schema";

/**
 * A kind of room message: its wire `type` and the schema of its payload.
 * Features declare theirs once and use the constant everywhere, so a
 * misspelt type cannot compile and every incoming payload is parsed here,
 * at the edge, before any component sees it.
 */
export interface RoomMessageKind<T> {
  type: string;
  schema: Schema<T>;
}

/** Types the room itself uses for presence: a feature must never send or trust them. */
const RESERVED_TYPES = new Set([
  "messaging.enabled",
  "participant.enabled",
  "participant.disabled",
  "participant.attributes",
]);

export function defineRoomMessage<T>(type: string, schema: Schema<T>): RoomMessageKind<T> {
  if (RESERVED_TYPES.has(type)) throw new Error(`"${type}" is reserved for room presence.`);
  return { type, schema };
}

export interface ReceivedRoomMessage<T> {
  fromId: string;
  /** The sender as the roster knows it; null if it is not (or no longer) in the room. */
  from: RoomParticipant | null;
  payload: T;
  attachment: Uint8Array | null;
}

/**
 * Calls `onMessage` for each valid message of `kind` from someone else while
 * connected. Invalid payloads are dropped silently: they come from other
 * participants, and one bad message must not break the page.
 */
export function useRoomMessage<T>(kind: RoomMessageKind<T>, onMessage: (message: ReceivedRoomMessage<T>) => void) {
  const { client, roster } = useRoomContext();
  const handle = useEffectEvent(onMessage);

  useEffect(() => {
    if (!client) return;
    const listener = ({
      message,
    }: {
      message: { fromParticipantId?: unknown; type?: unknown; message?: unknown; attachment?: unknown };
    }) => {
      if (message.type !== kind.type || typeof message.fromParticipantId !== "string") return;
      if (message.fromParticipantId === client.localParticipant?.id) return;
      const parsed = z.safeParse(kind.schema, message.message);
      if (!parsed.success) return;
      const attachment =
        message.attachment instanceof Uint8Array && message.attachment.length > 0 ? message.attachment : null;
      handle({
        fromId: message.fromParticipantId,
        from: roster.getState().roster.get(message.fromParticipantId) ?? null,
        payload: parsed.data,
        attachment,
      });
    };
    client.messaging.on("message", listener);
    return () => client.messaging.off("message", listener);
  }, [client, kind, roster]);
}

/** Sends `payload` to everyone else in the room; rejects if it does not match the kind's schema or the room refuses. */
export async function broadcastRoomMessage<T>(client: RoomClient, kind: RoomMessageKind<T>, payload: T): Promise<void> {
  await client.messaging.broadcastMessage({
    type: kind.type,
    message: z.parse(kind.schema, payload) as Record<string, unknown>,
  });
}

/** Sends `payload` to one participant. */
export async function sendRoomMessage<T>(
  client: RoomClient,
  to: string,
  kind: RoomMessageKind<T>,
  payload: T,
): Promise<void> {
  const participant = client.messaging.getParticipant(to);
  if (!participant) throw new Error("That participant has left the room.");
  await client.messaging.sendMessage({
    to: participant,
    type: kind.type,
    message: z.parse(kind.schema, payload) as Record<string, unknown>,
  });
}
