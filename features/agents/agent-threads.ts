import { createStore } from "zustand/vanilla";

/** Lines kept per thread, and threads kept per room page; the oldest go first. */
export const THREAD_LINE_LIMIT = 300;
export const THREAD_LIMIT = 50;

type AgentLineStatus = "sending" | "sent" | "failed" | "received";

export interface AgentLine {
  id: string;
  own: boolean;
  text: string;
  at: number;
  status: AgentLineStatus;
  error?: string;
}

export type ThreadAction =
  | { type: "add"; path: string; line: AgentLine }
  | { type: "status"; path: string; id: string; status: AgentLineStatus; error?: string };

export type Threads = Readonly<Record<string, readonly AgentLine[]>>;

export function threadsReducer(threads: Threads, action: ThreadAction): Threads {
  const lines = threads[action.path] ?? [];
  switch (action.type) {
    case "add": {
      const next = [...lines, action.line].slice(-THREAD_LINE_LIMIT);
      // Re-inserting moves the thread to the end, so the least recently used one is dropped first.
      const { [action.path]: _, ...others } = threads;
      const kept = Object.entries(others).slice(-(THREAD_LIMIT - 1));
      return { ...Object.fromEntries(kept), [action.path]: next };
    }
    case "status": {
      if (!lines.some((line) => line.own && line.id === action.id)) return threads;
      return {
        ...threads,
        [action.path]: lines.map((line) =>
          line.own && line.id === action.id ? { ...line, status: action.status, error: action.error } : line,
        ),
      };
    }
  }
}

/** Every agent thread of this page: a room-scoped store, so reconnects and the failure view lose nothing. */
export function createAgentThreads() {
  return createStore<{
    threads: Threads;
    selected: string | null;
    dispatch: (action: ThreadAction) => void;
    select: (name: string | null) => void;
  }>((set) => ({
    threads: {},
    selected: null,
    dispatch: (action) => set((state) => ({ threads: threadsReducer(state.threads, action) })),
    select: (selected) => set({ selected }),
  }));
}

export const AGENT_THREADS_STORE = "agent-threads";
