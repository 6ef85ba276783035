"use client";

import type { RoomClient } from "@meshagent/meshagent";
import { useCallback, useEffect, useEffectEvent, useMemo, useReducer, useRef, useState, type ReactNode } from "react";
import { createStore } from "zustand/vanilla";
import { ConnectionAttempt } from "@/components/room/connection-attempt";
import type { RoomConnectionInfo } from "@meshagent/meshagent-react";
import { fetchRoomConnection } from "@/lib/room/fetch-room-connection";
import { RoomContext, type RoomContextValue, type RoomUser } from "@/lib/room/room-context";
import { initialSession, sessionReducer } from "@/lib/room/room-status";
import { EMPTY_ROSTER, applyPresenceMessage, rosterFromRecords, type Roster } from "@/lib/room/roster";

/**
 * Owns the connection to one room for as long as the page shows that room:
 * the attempts (fresh credentials for each), capped backoff between them,
 * pausing while offline, and the room-scoped stores that features keep their
 * state in, so nothing is lost when the connection drops or the failure view
 * replaces the room. Everything below reaches it through useRoom() and friends.
 */
export function RoomProvider({
  room,
  user,
  initialConnection = null,
  children,
}: {
  room: string;
  user: RoomUser;
  /** Credentials the server already minted for this page: used by the first attempt only. */
  initialConnection?: RoomConnectionInfo | null;
  children: ReactNode;
}) {
  const [session, dispatch] = useReducer(sessionReducer, initialSession);
  const [attemptClient, setAttemptClient] = useState<RoomClient | null>(null);
  const [roster] = useState(() => createStore<{ roster: Roster }>(() => ({ roster: EMPTY_ROSTER })));
  const [stores] = useState(() => new Map<string, unknown>());
  const unusedConnection = useRef(initialConnection);

  const retryNow = useCallback(() => dispatch({ type: "start" }), []);

  const authorize = useCallback(
    (signal: AbortSignal) => {
      const ready = unusedConnection.current;
      unusedConnection.current = null;
      return ready ? Promise.resolve(ready) : fetchRoomConnection(room, { signal });
    },
    [room],
  );

  // The roster follows the attempt's client from the moment it exists, so no
  // presence message is missed between connecting and ready.
  useEffect(() => {
    roster.setState({ roster: EMPTY_ROSTER });
    if (!attemptClient) return;
    const localId = () => attemptClient.localParticipant?.id ?? null;
    const onMessage = ({ message }: { message: Parameters<typeof applyPresenceMessage>[1] }) => {
      const current = roster.getState().roster;
      const next = applyPresenceMessage(current, message, localId());
      if (next !== current) roster.setState({ roster: next });
    };
    attemptClient.messaging.on("message", onMessage);
    return () => {
      attemptClient.messaging.off("message", onMessage);
      roster.setState({ roster: EMPTY_ROSTER });
    };
  }, [attemptClient, roster]);

  const attempt = session.attempt;
  const events = useMemo(
    () =>
      attempt === null
        ? null
        : {
            onConnecting: (client: RoomClient) => {
              setAttemptClient(client);
              dispatch({ type: "connecting", attempt });
            },
            onConnected: (client: RoomClient) => {
              setAttemptClient(client);
              // Anyone the SDK learnt about before we listened (normally no one:
              // we listen from `connecting`); only their name is public API.
              const known = client.messaging.remoteParticipants.map((participant) => ({
                id: participant.id,
                role: participant.role,
                attributes: { name: participant.getAttribute("name") },
              }));
              const seeded = rosterFromRecords(known, client.localParticipant?.id ?? null);
              const current = roster.getState().roster;
              const merged = new Map([...seeded, ...current]);
              if (merged.size !== current.size) roster.setState({ roster: merged });
              dispatch({ type: "connected", attempt });
            },
            onEnded: (error: unknown, wasConnected: boolean) => {
              setAttemptClient(null);
              dispatch({
                type: "ended",
                attempt,
                error,
                wasConnected,
                online: navigator.onLine,
                now: Date.now(),
                jitter: Math.random(),
              });
            },
          },
    [attempt, roster],
  );

  useRetryScheduling(session.status, retryNow, () => dispatch({ type: "offline" }));

  const connected = session.status.phase === "connected";
  const value = useMemo<RoomContextValue>(
    () => ({
      room,
      user,
      client: connected ? attemptClient : null,
      status: session.status,
      everConnected: session.everConnected,
      retryNow,
      roster,
      stores,
    }),
    [room, user, connected, attemptClient, session.status, session.everConnected, retryNow, roster, stores],
  );

  return (
    <RoomContext value={value}>
      {attempt !== null && events ? <ConnectionAttempt key={attempt} authorize={authorize} {...events} /> : null}
      {children}
    </RoomContext>
  );
}

/**
 * While waiting to retry: go when the timer fires, at once when the network
 * or the tab comes back, and stop the clock while offline (an attempt would fail).
 */
function useRetryScheduling(status: RoomContextValue["status"], retryNow: () => void, onOffline: () => void) {
  const retryAt = status.phase === "retrying" ? status.retry.retryAt : undefined;
  const waiting = status.phase === "retrying";
  const goOffline = useEffectEvent(onOffline);

  useEffect(() => {
    if (retryAt == null) return;
    const timer = setTimeout(retryNow, Math.max(0, retryAt - Date.now()));
    return () => clearTimeout(timer);
  }, [retryAt, retryNow]);

  useEffect(() => {
    if (!waiting) return;
    const onOnline = () => {
      if (navigator.onLine) retryNow();
    };
    const onVisible = () => {
      if (document.visibilityState === "visible") onOnline();
    };
    const onOfflineEvent = () => goOffline();
    window.addEventListener("online", onOnline);
    window.addEventListener("offline", onOfflineEvent);
    document.addEventListener("visibilitychange", onVisible);
    return () => {
      window.removeEventListener("online", onOnline);
      window.removeEventListener("offline", onOfflineEvent);
      document.removeEventListener("visibilitychange", onVisible);
    };
  }, [waiting, retryNow]);
}
