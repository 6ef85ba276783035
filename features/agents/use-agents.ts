"use client";

import { useMemo } from "react";
import { agentThreadPath } from "@/lib/shared/agent-thread-path";
import { agentKind, type AgentKind } from "@/features/agents/agent-kind";
import type { RoomParticipant } from "@/lib/room/roster";
import { useParticipants, useRoom } from "@/lib/room/use-room";

export interface RoomAgent {
  /** Its display name, which also names its thread folder. */
  name: string;
  /** The participant currently answering under that name (a rejoin gives it a new id). */
  participant: RoomParticipant;
  /** Our thread with it (legacy protocol). */
  path: string;
  /** Which protocol it speaks and how it wants its threads shown. */
  kind: AgentKind;
}

/** Chat agents in the room, one per name (agents first, by name, as the roster sorts them); `supports_chat: false` ones are left out. */
export function useAgents(): RoomAgent[] {
  const participants = useParticipants();
  const { user } = useRoom();
  return useMemo(() => {
    const byName = new Map<string, RoomAgent>();
    for (const participant of participants) {
      if (participant.role !== "agent" || byName.has(participant.name)) continue;
      const kind = agentKind(participant);
      if (kind.hidden) continue;
      byName.set(participant.name, {
        name: participant.name,
        participant,
        // The thread is named after who we are in the room (the name the agent sees), see agent/README.md.
        path: agentThreadPath(participant.name, user.name),
        kind,
      });
    }
    return [...byName.values()];
  }, [participants, user.name]);
}
