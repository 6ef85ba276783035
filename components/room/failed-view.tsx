"use client";

import Link from "next/link";
import { Button, buttonClasses } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { useCountdown } from "@/components/room/use-countdown";
import type { ConnectionFailure } from "@/lib/connection-failure";
import { safeCallbackPath } from "@/lib/safe-callback";

export interface RetryInfo {
  attempt: number;
  /** When the next automatic attempt starts (ms since epoch); null while offline. */
  retryAt: number | null;
}

export function RetryStatus({ retry }: { retry: RetryInfo }) {
  const seconds = useCountdown(retry.retryAt);
  return (
    <span data-testid="reconnect-status">
      {retry.retryAt === null
        ? "Waiting for the network to come back…"
        : `Reconnecting (attempt ${retry.attempt}, next in ${seconds}s)…`}
    </span>
  );
}

/**
 * A connection that failed before it ever reached the room. Final failures
 * (signed out, no access) offer the one action that helps; retryable ones show
 * the automatic retry and a "Retry now" button.
 */
export function FailedView({
  room,
  failure,
  retry,
  onRetry,
}: {
  room: string;
  failure: ConnectionFailure;
  retry: RetryInfo | null;
  onRetry: () => void;
}) {
  const signInHref = `/signin?${new URLSearchParams({ callbackUrl: safeCallbackPath(`/rooms/${encodeURIComponent(room)}`) })}`;
  return (
    <Card role="alert" data-testid="room-failed" data-kind={failure.kind} className="mx-auto max-w-md space-y-3">
      <h1 className="text-lg font-semibold">{failure.title}</h1>
      <p className="text-sm text-zinc-600 dark:text-zinc-400">{failure.message}</p>
      {retry ? (
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          <RetryStatus retry={retry} />
        </p>
      ) : null}
      <div className="flex flex-wrap gap-2 pt-1">
        {failure.kind === "signed_out" ? (
          <Link href={signInHref} className={buttonClasses("primary")}>
            Sign in again
          </Link>
        ) : (
          <Button onClick={onRetry}>{retry ? "Retry now" : "Retry"}</Button>
        )}
        <Link href="/" className={buttonClasses("ghost")}>
          Other rooms
        </Link>
      </div>
    </Card>
  );
}
