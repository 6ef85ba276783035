"use client";

import { useStore } from "zustand";
import { Badge } from "@/components/ui/badge";
import { AGENT_THREADS_STORE, createAgentThreads } from "@/features/agents/agent-threads";
import type { RoomFeatureProps } from "@/lib/room/room-feature";
import { useParticipants, useRoom, useRoomStore } from "@/lib/room/use-room";

/** Who is here: you first, then everyone else (agents first), as the roster knows them. */
export function ParticipantList({ openFeature }: RoomFeatureProps) {
  const { user } = useRoom();
  const participants = useParticipants();
  const selectAgent = useStore(useRoomStore(AGENT_THREADS_STORE, createAgentThreads), (state) => state.select);

  function talkTo(agentName: string) {
    selectAgent(agentName);
    openFeature("agents");
  }

  return (
    <section aria-labelledby="participants-heading" className="space-y-3">
      <h2
        id="participants-heading"
        className="text-sm font-semibold uppercase tracking-wide text-zinc-700 dark:text-zinc-300"
      >
        Who is here <span className="font-normal">({participants.length + 1})</span>
      </h2>
      <ul data-testid="participant-list" className="space-y-1 text-sm">
        <li className="flex items-center gap-2">
          <span className="size-2 shrink-0 rounded-full bg-emerald-500" aria-hidden />
          <span className="truncate font-medium">{user.name}</span>
          <span className="text-zinc-700 dark:text-zinc-300">(you)</span>
        </li>
        {participants.map((participant) => (
          <li
            key={participant.id}
            data-testid="participant"
            data-role={participant.role}
            className="flex min-w-0 flex-wrap items-center gap-x-2"
          >
            <span className="size-2 shrink-0 rounded-full bg-emerald-500" aria-hidden />
            {participant.role === "agent" ? (
              <button
                type="button"
                title={`Talk to ${participant.name}`}
                onClick={() => talkTo(participant.name)}
                className="truncate rounded-sm underline decoration-dotted underline-offset-2 hover:decoration-solid focus-visible:outline-2 focus-visible:outline-blue-500"
              >
                {participant.name}
              </button>
            ) : (
              <span className="truncate">{participant.name}</span>
            )}
            {participant.role === "user" ? null : (
              <Badge tone={participant.role === "agent" ? "agent" : "neutral"}>{participant.role}</Badge>
            )}
            {participant.renamedTo ? (
              <span className="w-full truncate pl-4 text-xs text-zinc-700 dark:text-zinc-300">
                renamed to “{participant.renamedTo}”
              </span>
            ) : null}
          </li>
        ))}
      </ul>
      {participants.length === 0 ? (
        <p className="text-sm text-zinc-700 dark:text-zinc-300">
          Nobody else yet. Open this room in another browser to chat.
        </p>
      ) : null}
    </section>
  );
}
