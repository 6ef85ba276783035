import { createStore } from "zustand/vanilla";
import { withDeliveryStatus, type DeliveryStatus } from "@/lib/room/delivery";

/** Lines kept per thread, and threads kept per room page; the oldest go first. */
export const THREAD_LINE_LIMIT = 300;
export const THREAD_LIMIT = 50;

export interface AgentLine {
  id: string;
  own: boolean;
  text: string;
  at: number;
  status: DeliveryStatus;
  error?: string;
}

export type ThreadAction =
  | { type: "add"; path: string; line: AgentLine }
  | { type: "status"; path: string; id: string; status: DeliveryStatus; error?: string };

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
      const next = withDeliveryStatus(lines, action.id, action.status, action.error);
      return next === lines ? threads : { ...threads, [action.path]: next };
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
