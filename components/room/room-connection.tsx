"use client";

import type { RoomClient } from "@meshagent/meshagent";
import { useCallback, useEffect, useReducer, useRef, useState } from "react";
import { ConnectedView } from "@/components/room/connected-view";
import { ConnectingView } from "@/components/room/connecting-view";
import { FailedView, type RetryInfo } from "@/components/room/failed-view";
import { RoomAttempt } from "@/components/room/room-attempt";
import { backoffDelay } from "@/lib/backoff";
import { chatReducer } from "@/lib/chat";
import { classifyFailure, type ConnectionFailure } from "@/lib/connection-failure";

type Status =
  | { phase: "authorizing" | "connecting" }
  | { phase: "ready"; client: RoomClient }
  | { phase: "retrying"; failure: ConnectionFailure; retry: RetryInfo }
  | { phase: "failed"; failure: ConnectionFailure };

/**
 * The room as the page sees it: one switch over the connection status.
 *
 * useRoomConnection connects once and never reconnects, so each attempt is a
 * fresh <RoomAttempt> (fresh credentials, fresh socket). Between attempts this
 * component waits with capped exponential backoff, pauses while the browser is
 * offline, and keeps the chat history so a reconnect loses nothing.
 */
export function RoomConnection({ room, userName }: { room: string; userName: string }) {
  const [attemptKey, setAttemptKey] = useState<number | null>(0);
  const [status, setStatus] = useState<Status>({ phase: "authorizing" });
  const [everConnected, setEverConnected] = useState(false);
  const [messages, dispatchChat] = useReducer(chatReducer, []);
  const failures = useRef(0);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);

  const clearTimer = () => {
    if (timer.current !== null) clearTimeout(timer.current);
    timer.current = null;
  };

  const startAttempt = useCallback(() => {
    clearTimer();
    setAttemptKey((key) => (key ?? 0) + 1);
    setStatus({ phase: "authorizing" });
  }, []);

  const onConnecting = useCallback(() => setStatus({ phase: "connecting" }), []);

  const onReady = useCallback((client: RoomClient) => {
    failures.current = 0;
    setEverConnected(true);
    setStatus({ phase: "ready", client });
  }, []);

  const onEnded = useCallback(
    (error: unknown, wasReady: boolean) => {
      setAttemptKey(null); // unmounts the attempt: disposes its client
      const failure = classifyFailure(error, { wasConnected: wasReady });
      if (!failure.retryable) {
        setStatus({ phase: "failed", failure });
        return;
      }
      if (wasReady) failures.current = 0;
      const attempt = ++failures.current;
      if (!navigator.onLine) {
        setStatus({ phase: "retrying", failure, retry: { attempt, retryAt: null } });
        return;
      }
      const delay = backoffDelay(attempt);
      setStatus({ phase: "retrying", failure, retry: { attempt, retryAt: Date.now() + delay } });
      clearTimer();
      timer.current = setTimeout(startAttempt, delay);
    },
    [startAttempt],
  );

  // Waiting to retry: go at once when the network or the tab comes back;
  // stop the clock while offline (the attempt would fail anyway).
  const waiting = status.phase === "retrying";
  useEffect(() => {
    if (!waiting) return;
    const retryNow = () => {
      if (navigator.onLine) startAttempt();
    };
    const onVisible = () => {
      if (document.visibilityState === "visible") retryNow();
    };
    const onOffline = () => {
      clearTimer();
      setStatus((current) =>
        current.phase === "retrying" ? { ...current, retry: { ...current.retry, retryAt: null } } : current,
      );
    };
    window.addEventListener("online", retryNow);
    window.addEventListener("offline", onOffline);
    document.addEventListener("visibilitychange", onVisible);
    return () => {
      window.removeEventListener("online", retryNow);
      window.removeEventListener("offline", onOffline);
      document.removeEventListener("visibilitychange", onVisible);
    };
  }, [waiting, startAttempt]);

  useEffect(() => clearTimer, []);

  const attempt =
    attemptKey === null ? null : (
      <RoomAttempt key={attemptKey} room={room} onConnecting={onConnecting} onReady={onReady} onEnded={onEnded} />
    );

  if (status.phase === "failed") {
    return (
      <>
        {attempt}
        <FailedView room={room} failure={status.failure} retry={null} onRetry={startAttempt} />
      </>
    );
  }

  if (!everConnected) {
    return (
      <>
        {attempt}
        {status.phase === "retrying" ? (
          <FailedView room={room} failure={status.failure} retry={status.retry} onRetry={startAttempt} />
        ) : (
          <ConnectingView phase={status.phase === "ready" ? "connecting" : status.phase} room={room} />
        )}
      </>
    );
  }

  // Once in the room, stay in it visually: a banner shows reconnects, and the
  // chat history stays on screen throughout.
  return (
    <>
      {attempt}
      <ConnectedView
        room={room}
        userName={userName}
        client={status.phase === "ready" ? status.client : null}
        reconnect={status.phase === "retrying" ? status.retry : null}
        reconnecting={status.phase !== "ready"}
        onRetryNow={startAttempt}
        messages={messages}
        dispatchChat={dispatchChat}
      />
    </>
  );
}
