export type ConnectingPhase = "loading" | "authorizing" | "connecting";

const TEXT: Record<ConnectingPhase, string> = {
  loading: "Loading the room…",
  authorizing: "Getting room credentials…",
  connecting: "Connecting to the room…",
};

export function ConnectingView({ phase, room }: { phase: ConnectingPhase; room?: string }) {
  return (
    <div
      role="status"
      aria-live="polite"
      data-testid="room-connecting"
      data-phase={phase}
      className="flex min-h-64 flex-col items-center justify-center gap-3 text-zinc-600 dark:text-zinc-400"
    >
      <span
        className="size-6 animate-spin rounded-full border-2 border-zinc-300 border-t-zinc-900 dark:border-zinc-700 dark:border-t-zinc-100"
        aria-hidden
      />
      <p>{TEXT[phase]}</p>
      {room ? <p className="text-sm">#{room}</p> : null}
    </div>
  );
}
