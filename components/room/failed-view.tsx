"use client";

import Link from "next/link";
import { RetryStatus } from "@/components/room/retry-status";
import { Button, buttonClasses } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { signInUrl } from "@/lib/shared/sign-in-url";
import type { ConnectionFailure } from "@/lib/room/connection-failure";
import type { RetryInfo } from "@/lib/room/room-status";

/**
 * The room could not be reached. Final failures (signed out, no access) offer
 * the one action that helps; retryable ones show the automatic retry and a
 * "Retry now" button.
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
  return (
    <Card role="alert" data-testid="room-failed" data-kind={failure.kind} className="mx-auto max-w-md space-y-3">
      <h1 className="text-lg font-semibold">{failure.title}</h1>
      <p className="text-sm text-zinc-700 dark:text-zinc-300">{failure.message}</p>
      {retry ? (
        <p className="text-sm text-zinc-700 dark:text-zinc-300">
          <RetryStatus retry={retry} />
        </p>
      ) : null}
      <div className="flex flex-wrap gap-2 pt-1">
        {failure.kind === "signed_out" ? (
          <Link href={signInUrl(`/rooms/${room}`)} className={buttonClasses("primary")}>
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
