"use client";

import { useMemo } from "react";
import { useStore } from "zustand";
import { agentThreadPath } from "@/lib/shared/agent-thread-path";
import { agentKind, type AgentKind } from "@/features/agents/agent-kind";
import { useRoomContext } from "@/lib/room/room-context";
import type { RoomParticipant, Roster } from "@/lib/room/roster";
import { useRoom } from "@/lib/room/use-room";

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

/**
 * Chat agents in the roster, one per name, by name; `supports_chat: false`
 * ones are left out. When two agents share a name, the one this page has known
 * longest answers for it (the roster keeps join order): an agent that joins
 * under a name in use cannot take over the chats already held under it.
 */
export function chatAgents(roster: Roster, userName: string): RoomAgent[] {
  const names = new Set<string>();
  const agents: RoomAgent[] = [];
  for (const participant of roster.values()) {
    if (participant.role !== "agent" || names.has(participant.name)) continue;
    names.add(participant.name);
    const kind = agentKind(participant);
    if (kind.hidden) continue;
    agents.push({
      name: participant.name,
      participant,
      // The thread is named after who we are in the room (the name the agent sees), see agent/README.md.
      path: agentThreadPath(participant.name, userName),
      kind,
    });
  }
  return agents.sort((a, b) => a.name.localeCompare(b.name));
}

/** The room's chat agents (see chatAgents), kept current. */
export function useAgents(): RoomAgent[] {
  const roster = useStore(useRoomContext().roster, (state) => state.roster);
  const { user } = useRoom();
  return useMemo(() => chatAgents(roster, user.name), [roster, user.name]);
}
