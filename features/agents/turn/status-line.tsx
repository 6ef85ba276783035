"use client";

import { useEffect, useState } from "react";
import { Button } from "@/components/ui/button";
import type { ThreadStatus } from "@/features/agents/turn/turn-state";

function elapsed(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  return seconds < 60 ? `${seconds} s` : `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
}

/** What the agent is doing in this thread, for how long, and Stop. */
export function StatusLine({
  name,
  status,
  running,
  onStop,
}: {
  name: string;
  status: ThreadStatus | null;
  running: boolean;
  onStop: () => void;
}) {
  const [now, setNow] = useState(() => Date.now());
  const startedAt = status?.startedAt ?? null;
  useEffect(() => {
    if (startedAt === null) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [startedAt]);

  return (
    <div
      role="status"
      className="flex min-h-11 items-center justify-between gap-2 px-4 text-sm text-zinc-700 dark:text-zinc-300"
    >
      {status || running ? (
        <>
          <span data-testid="agent-status" className="truncate">
            {name}: {status?.text ?? "Working"}
            {startedAt !== null ? ` · ${elapsed(now - startedAt)}` : null}
          </span>
          {running ? (
            <Button variant="secondary" className="h-8" onClick={onStop}>
              Stop
            </Button>
          ) : null}
        </>
      ) : null}
    </div>
  );
}
