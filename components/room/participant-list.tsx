import type { ParticipantSummary } from "@/components/room/use-participants";

export function ParticipantList({ userName, participants }: { userName: string; participants: ParticipantSummary[] }) {
  return (
    <section aria-labelledby="participants-heading" className="space-y-3">
      <h2 id="participants-heading" className="text-sm font-semibold uppercase tracking-wide text-zinc-500">
        Who is here <span className="font-normal">({participants.length + 1})</span>
      </h2>
      <ul data-testid="participant-list" className="space-y-1 text-sm">
        <li className="flex items-center gap-2">
          <span className="size-2 rounded-full bg-emerald-500" aria-hidden />
          <span className="font-medium">{userName}</span>
          <span className="text-zinc-500">(you)</span>
        </li>
        {participants.map((participant) => (
          <li key={participant.id} data-testid="participant" className="flex items-center gap-2">
            <span className="size-2 rounded-full bg-emerald-500" aria-hidden />
            <span>{participant.name}</span>
            {participant.role !== "user" ? (
              <span className="rounded bg-zinc-100 px-1.5 text-xs text-zinc-600 dark:bg-zinc-800 dark:text-zinc-400">
                {participant.role}
              </span>
            ) : null}
          </li>
        ))}
      </ul>
      {participants.length === 0 ? (
        <p className="text-sm text-zinc-500">Nobody else yet. Open this room in another browser to chat.</p>
      ) : null}
    </section>
  );
}
