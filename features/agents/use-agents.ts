"use client";

import { useMemo } from "react";
import { agentThreadPath } from "@/lib/shared/agent-thread-path";
import type { RoomParticipant } from "@/lib/room/roster";
import { useParticipants, useRoom } from "@/lib/room/use-room";

export interface RoomAgent {
  /** Its display name, which also names its thread folder. */
  name: string;
  /** The participant currently answering under that name (a rejoin gives it a new id). */
  participant: RoomParticipant;
  /** Our thread with it. */
  path: string;
}

/** Agents in the room, one per name (agents first, by name, as the roster sorts them). */
export function useAgents(): RoomAgent[] {
  const participants = useParticipants();
  const { user } = useRoom();
  return useMemo(() => {
    const byName = new Map<string, RoomAgent>();
    for (const participant of participants) {
      if (participant.role !== "agent" || byName.has(participant.name)) continue;
      byName.set(participant.name, {
        name: participant.name,
        participant,
        // The thread is named after who we are in the room (the name the agent sees), see agent/README.md.
        path: agentThreadPath(participant.name, user.name),
      });
    }
    return [...byName.values()];
  }, [participants, user.name]);
}
