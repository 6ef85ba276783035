import { backoffDelay } from "@/lib/shared/backoff";
import { classifyFailure, type ConnectionFailure } from "@/lib/room/connection-failure";

export interface RetryInfo {
  attempt: number;
  /** When the next automatic attempt starts (ms since epoch); null while offline. */
  retryAt: number | null;
}

export type RoomStatus =
  | { phase: "authorizing" | "connecting" | "connected" }
  | { phase: "retrying"; failure: ConnectionFailure; retry: RetryInfo }
  | { phase: "failed"; failure: ConnectionFailure };

/**
 * The connection session as data. `attempt` is the key of the one live
 * connection attempt (null between attempts); every new attempt gets a new
 * key, so React mounts a fresh useRoomConnection with fresh credentials.
 */
export interface SessionState {
  attempt: number | null;
  nextAttempt: number;
  status: RoomStatus;
  everConnected: boolean;
  /** Consecutive failed attempts, for the backoff. */
  failures: number;
}

export type SessionAction =
  | { type: "start" }
  | { type: "connecting"; attempt: number }
  | { type: "connected"; attempt: number }
  | {
      type: "ended";
      attempt: number;
      error: unknown;
      wasConnected: boolean;
      online: boolean;
      now: number;
      jitter: number;
    }
  | { type: "offline" };

export const initialSession: SessionState = {
  attempt: 0,
  nextAttempt: 1,
  status: { phase: "authorizing" },
  everConnected: false,
  failures: 0,
};

/** Pure: the randomness and the clock arrive in the action, so tests replay it exactly. */
export function sessionReducer(state: SessionState, action: SessionAction): SessionState {
  switch (action.type) {
    case "start":
      return {
        ...state,
        attempt: state.nextAttempt,
        nextAttempt: state.nextAttempt + 1,
        status: { phase: "authorizing" },
      };
    case "connecting":
      if (action.attempt !== state.attempt) return state;
      return { ...state, status: { phase: "connecting" } };
    case "connected":
      if (action.attempt !== state.attempt) return state;
      return { ...state, status: { phase: "connected" }, everConnected: true, failures: 0 };
    case "ended": {
      if (action.attempt !== state.attempt) return state;
      const failure = classifyFailure(action.error, { wasConnected: action.wasConnected });
      if (!failure.retryable) return { ...state, attempt: null, status: { phase: "failed", failure } };
      const attempt = (action.wasConnected ? 0 : state.failures) + 1;
      const delay = Math.max(backoffDelay(attempt, { random: () => action.jitter }), failure.retryAfterMs ?? 0);
      const retryAt = action.online ? action.now + delay : null;
      return {
        ...state,
        attempt: null,
        failures: attempt,
        status: { phase: "retrying", failure, retry: { attempt, retryAt } },
      };
    }
    case "offline":
      if (state.status.phase !== "retrying") return state;
      return { ...state, status: { ...state.status, retry: { ...state.status.retry, retryAt: null } } };
  }
}
