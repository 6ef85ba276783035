import { describe, expect, it } from "vitest";
import { RoomConnectionError } from "@/lib/room/fetch-room-connection";
import { initialSession, sessionReducer, type SessionAction, type SessionState } from "@/lib/room/room-status";

const run = (...actions: SessionAction[]) => actions.reduce<SessionState>(sessionReducer, initialSession);
const ended = (attempt: number, error: unknown, extra: Partial<Extract<SessionAction, { type: "ended" }>> = {}) =>
  ({ type: "ended", attempt, error, wasConnected: false, online: true, now: 1000, jitter: 0, ...extra }) as const;

describe("sessionReducer", () => {
  it("connects, then on a drop schedules a retry with a fresh attempt key", () => {
    const state = run(
      { type: "connecting", attempt: 0 },
      { type: "connected", attempt: 0 },
      ended(0, new Event("close"), { wasConnected: true }),
    );
    expect(state.everConnected).toBe(true);
    expect(state.attempt).toBeNull();
    expect(state.status).toMatchObject({
      phase: "retrying",
      failure: { kind: "dropped" },
      retry: { attempt: 1, retryAt: 1250 },
    });
    expect(sessionReducer(state, { type: "start" })).toMatchObject({ attempt: 1, status: { phase: "authorizing" } });
  });

  it("backs off further on each consecutive failure and resets after connecting", () => {
    let state = run(ended(0, new Event("error")), { type: "start" }, ended(1, new Event("error")));
    expect(state.status).toMatchObject({ retry: { attempt: 2, retryAt: 1500 } });
    state = run(
      ended(0, new Event("error")),
      { type: "start" },
      { type: "connected", attempt: 1 },
      ended(1, new Event("x"), { wasConnected: true }),
    );
    expect(state.status).toMatchObject({ retry: { attempt: 1 } });
  });

  it("stops on a final refusal", () => {
    const state = run(ended(0, new RoomConnectionError(403, "forbidden", "No access")));
    expect(state.status).toMatchObject({ phase: "failed", failure: { kind: "forbidden", message: "No access" } });
  });

  it("waits at least the server's Retry-After on 429", () => {
    const state = run(ended(0, new RoomConnectionError(429, "bad_response", "Slow down", 7000)));
    expect(state.status).toMatchObject({
      phase: "retrying",
      failure: { kind: "rate_limited" },
      retry: { retryAt: 8000 },
    });
  });

  it("waits for the network while offline, and ignores events from a stale attempt", () => {
    const offline = run(ended(0, new Event("error"), { online: false }));
    expect(offline.status).toMatchObject({ retry: { retryAt: null } });
    const stale = run({ type: "start" }, { type: "connected", attempt: 0 });
    expect(stale.status.phase).toBe("authorizing");
  });
});
