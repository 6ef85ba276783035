"use client";

import { useEffect, useState } from "react";
import type { RetryInfo } from "@/lib/room/room-status";

export function RetryStatus({ retry }: { retry: RetryInfo }) {
  return (
    <span data-testid="reconnect-status">
      {retry.retryAt === null ? (
        "Waiting for the network to come back…"
      ) : (
        <>
          Reconnecting (attempt {retry.attempt}, next in <SecondsUntil key={retry.retryAt} deadline={retry.retryAt} />
          s)…
        </>
      )}
    </span>
  );
}

/** Keyed by its deadline, so each countdown starts from a fresh clock. */
function SecondsUntil({ deadline }: { deadline: number }) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 250);
    return () => clearInterval(timer);
  }, []);
  return Math.max(0, Math.ceil((deadline - now) / 1000));
}
