import type { InputContent, ToolResult } from "@/lib/shared/agent-turn/content";

/**
 * What the page knows of one turn-protocol agent: its thread list and the
 * threads opened on this page. Built only by the reducer in thread-store.ts,
 * from parsed agent events and the page's own requests. Everything is capped:
 * an agent (or someone posing as one) decides what arrives, not how much the
 * page keeps.
 */

export const TURN_STORE_LIMITS = {
  /** Threads kept from thread.listed and thread.created. */
  listedThreads: 500,
  /** Threads kept open (with their turns) per agent; the least recently used goes first. */
  openThreads: 20,
  /** Turns kept per thread; the oldest go first. */
  turns: 300,
  /** Items (texts, tool calls, files…) per turn. */
  items: 200,
  /**
   * Characters kept per text or reasoning item; the rest is dropped and the
   * item marked cut. Streamed markdown is re-parsed as it grows, so this also
   * bounds the work per frame (the long answer is 30,000 characters).
   */
  itemText: 40_000,
  /**
   * Characters one turn may hold in all (its input, steers, texts, tool
   * arguments, logs and results). Content past it is dropped and the turn
   * marked cut: a turn renders again as it streams, so this bounds that work.
   */
  turnChars: 500_000,
  /**
   * Characters all of an agent's open threads may hold together. Past it the
   * least recently used threads close (opening one loads it again), then the
   * oldest turns of the busy thread go: the page's memory per agent is
   * bounded whatever the agent sends.
   */
  agentChars: 4_000_000,
  /** Characters kept for one tool call's arguments, and for its result (a bigger result is not shown). */
  toolArguments: 20_000,
  toolResult: 20_000,
  /** Log lines kept per tool call, and characters per line. */
  logLines: 200,
  logLineText: 2000,
  /** Message ids remembered to drop duplicated events. */
  seenMessages: 4096,
  /** Requests awaiting an acknowledgement. */
  pendingRequests: 200,
  /** Client tool calls remembered (answered or not), for dedupe by request_id. */
  clientCalls: 200,
} as const;

export interface ThreadSummary {
  path: string;
  name: string;
  modifiedAt: string;
}

type TextPhase = "commentary" | "final_answer";

export type TurnItem =
  | { kind: "text"; id: string; phase: TextPhase; text: string; done: boolean; cut: boolean; sender?: string }
  | { kind: "reasoning"; id: string; text: string; done: boolean; cut: boolean }
  | { kind: "file"; id: string; url: string; done: boolean }
  | ToolCallItem;

export interface ToolCallItem {
  kind: "tool";
  id: string;
  toolkit: string;
  tool: string;
  /** The arguments as JSON text (streamed in pieces, or given whole). */
  args: string;
  logs: { source: "stdout" | "stderr"; text: string }[];
  state: "pending" | "running" | "ended";
  result?: ToolResult;
  error?: string;
  approval?: "requested" | "approved" | "rejected";
}

type TurnState =
  /** Sent by us, not acknowledged yet. */
  | "sending"
  /** Accepted by the agent, waiting behind another turn. */
  | "queued"
  | "running"
  | "ended"
  /** The agent refused it, or it never reached the agent. */
  | "failed";

export interface Turn {
  /** The agent's turn_id once known; until then `local:<message_id>`. */
  key: string;
  turnId: string | null;
  sourceMessageId: string | null;
  sender: string | null;
  own: boolean;
  input: InputContent[];
  /** Steers that joined this turn. */
  steers: InputContent[][];
  state: TurnState;
  items: TurnItem[];
  /** In plain words, for the person. */
  error: string | null;
  stopped: boolean;
  /** Characters the turn holds (see TURN_STORE_LIMITS.turnChars). */
  chars: number;
  /** Content past the turn's character cap was dropped. */
  cut: boolean;
}

export interface ThreadStatus {
  text: string;
  mode: "busy" | "steerable" | null;
  startedAt: number | null;
  turnId: string | null;
}

interface Usage {
  input: number | null;
  output: number | null;
  contextUsed: number | null;
  contextTotal: number | null;
}

export interface OpenThread {
  id: string;
  /** loading: replayed history arriving until thread.loaded; silent: no answer in time. */
  phase: "loading" | "ready" | "silent" | "deleted";
  /** The message_id of the thread.open we wait on. */
  openMessageId: string | null;
  /** Turns already replayed in this load (a replay after a reconnect rewrites them). */
  replayed: string[];
  turns: Turn[];
  status: ThreadStatus | null;
  usage: Usage | null;
  /** Last turn that ended, for `since_turn` when reopening after a reconnect. */
  lastEndedTurnId: string | null;
}

export interface PendingRequest {
  kind: "list" | "open" | "start-thread" | "turn" | "steer" | "interrupt";
  threadId: string | null;
  /** The turn the request belongs to (turn, steer), by key. */
  turnKey?: string;
  /** A thread.start's first message, shown once the thread exists. */
  content?: InputContent[];
}

interface ClientCall {
  requestId: string;
  threadId: string;
  turnId: string;
  tool: string;
  arguments: Record<string, unknown>;
  state: "requested" | "answered" | "cancelled";
  /** Seen first in a history replay: already dealt with, never asked again. */
  replayed: boolean;
}

export interface AgentTurnState {
  list: { threads: ThreadSummary[]; total: number; loaded: boolean };
  open: Record<string, OpenThread>;
  /** Open thread ids, least recently used first. */
  openOrder: string[];
  pending: Record<string, PendingRequest>;
  /** A thread.start of ours came back: the view selects the new thread. */
  startedThread: { messageId: string; threadId: string } | null;
  /** A failed thread.start, in plain words. */
  startError: string | null;
  clientCalls: Record<string, ClientCall>;
  seen: string[];
}

export const EMPTY_AGENT_STATE: AgentTurnState = {
  list: { threads: [], total: 0, loaded: false },
  open: {},
  openOrder: [],
  pending: {},
  startedThread: null,
  startError: null,
  clientCalls: {},
  seen: [],
};
