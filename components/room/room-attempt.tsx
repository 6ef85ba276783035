"use client";

import { useRoomConnection } from "@meshagent/meshagent-react";
import type { RoomClient } from "@meshagent/meshagent";
import { useEffect, useRef } from "react";
import { fetchRoomConnection } from "@/lib/fetch-room-connection";

export interface AttemptCallbacks {
  onConnecting: () => void;
  onReady: (client: RoomClient) => void;
  /** The attempt is over: it failed to connect, or a live connection closed. */
  onEnded: (error: unknown, wasReady: boolean) => void;
}

/**
 * One connection attempt: one useRoomConnection, one token, at most one socket.
 * It renders nothing; RoomConnection mounts a fresh one (new key) for every
 * attempt, and unmounting it disposes the client and aborts its credential fetch.
 */
export function RoomAttempt({ room, onConnecting, onReady, onEnded }: { room: string } & AttemptCallbacks) {
  const pending = useRef(new Set<AbortController>());

  const { client, state, error } = useRoomConnection({
    enableMessaging: true,
    authorization: () => {
      const controller = new AbortController();
      pending.current.add(controller);
      return fetchRoomConnection(room, { signal: controller.signal }).finally(() => pending.current.delete(controller));
    },
  });

  useEffect(() => {
    const controllers = pending.current;
    return () => {
      for (const controller of controllers) controller.abort();
      controllers.clear();
    };
  }, []);

  const wasReady = useRef(false);
  const ended = useRef(false);
  const callbacks = useRef({ onConnecting, onReady, onEnded });
  callbacks.current = { onConnecting, onReady, onEnded };

  useEffect(() => {
    if (ended.current) return;
    if (error != null || (state === "done" && client !== null)) {
      ended.current = true;
      callbacks.current.onEnded(error, wasReady.current);
    } else if (state === "ready" && client) {
      wasReady.current = true;
      callbacks.current.onReady(client);
    } else if (state === "connecting") {
      callbacks.current.onConnecting();
    }
    // state "done" with no client and no error is React StrictMode's discarded
    // first effect run (the hook disposes it and starts again): still authorizing.
  }, [state, error, client]);

  return null;
}
