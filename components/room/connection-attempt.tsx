"use client";

import type { RoomClient } from "@meshagent/meshagent";
import { useRoomConnection } from "@meshagent/meshagent-react";
import { useEffect, useEffectEvent, useRef } from "react";
import type { RoomConnectionInfo } from "@meshagent/meshagent-react";
import { receiveFramesAsArrayBuffers } from "@/lib/room/binary-frames";

export interface AttemptEvents {
  onConnecting: (client: RoomClient) => void;
  onConnected: (client: RoomClient) => void;
  /** The attempt is over: it failed to connect, or a live connection closed. */
  onEnded: (error: unknown, wasConnected: boolean) => void;
}

/**
 * One connection attempt: one useRoomConnection, one set of credentials, at
 * most one socket. useRoomConnection connects once and never reconnects, so
 * RoomProvider mounts a fresh attempt (new key) for each try; unmounting it
 * disposes the client and aborts a credentials fetch still in flight.
 * It draws nothing: the views read the session from the room context.
 */
export function ConnectionAttempt({
  authorize,
  ...events
}: { authorize: (signal: AbortSignal) => Promise<RoomConnectionInfo> } & AttemptEvents) {
  const pending = useRef(new Set<AbortController>());
  const { client, state, error } = useRoomConnection({
    enableMessaging: true,
    authorization: () => {
      const controller = new AbortController();
      pending.current.add(controller);
      return authorize(controller.signal).finally(() => pending.current.delete(controller));
    },
  });

  useEffect(() => {
    const controllers = pending.current;
    return () => {
      for (const controller of controllers) controller.abort();
      controllers.clear();
    };
  }, []);

  const wasConnected = useRef(false);
  const ended = useRef(false);
  const report = useEffectEvent((next: typeof state, current: RoomClient | null, failure: unknown) => {
    if (ended.current) return;
    if (failure != null || (next === "done" && current !== null)) {
      ended.current = true;
      events.onEnded(failure, wasConnected.current);
    } else if (next === "ready" && current) {
      wasConnected.current = true;
      events.onConnected(current);
    } else if (next === "connecting" && current) {
      receiveFramesAsArrayBuffers(current);
      events.onConnecting(current);
    }
    // "done" with no client and no error is React StrictMode's discarded
    // first run (the hook disposes it and starts again): still authorizing.
  });

  useEffect(() => report(state, client, error), [state, client, error]);

  return null;
}
