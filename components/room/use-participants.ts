"use client";

import type { RoomClient } from "@meshagent/meshagent";
import { useEffect, useState } from "react";

export interface ParticipantSummary {
  id: string;
  name: string;
  role: string;
}

const PRESENCE_EVENTS = [
  "messaging_enabled",
  "participant_added",
  "participant_removed",
  "participant_attributes_updated",
];

function snapshot(client: RoomClient): ParticipantSummary[] {
  return client.messaging.remoteParticipants
    .map((participant) => ({
      id: participant.id,
      name: String(participant.getAttribute("name") ?? "Unnamed participant"),
      role: participant.role,
    }))
    .sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
}

/** Everyone else in the room with messaging on, kept current by room.messaging's presence events. */
export function useParticipants(client: RoomClient | null): ParticipantSummary[] {
  const [participants, setParticipants] = useState<ParticipantSummary[]>([]);

  useEffect(() => {
    if (!client) {
      setParticipants([]);
      return;
    }
    const update = () => setParticipants(snapshot(client));
    update();
    for (const event of PRESENCE_EVENTS) client.messaging.on(event, update);
    return () => {
      for (const event of PRESENCE_EVENTS) client.messaging.off(event, update);
    };
  }, [client]);

  return participants;
}
