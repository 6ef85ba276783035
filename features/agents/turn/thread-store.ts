import type { InputContent } from "@/lib/shared/agent-turn/content";
import type { AgentEvent, ClientRequest, ThreadEntry } from "@/lib/shared/agent-turn/messages";
import { turnErrorInWords } from "@/features/agents/turn/turn-errors";
import { newTurnChars, resultChars, sizedTurn, threadChars } from "@/features/agents/turn/turn-size";
import {
  EMPTY_AGENT_STATE,
  TURN_STORE_LIMITS as LIMITS,
  type AgentTurnState,
  type OpenThread,
  type PendingRequest,
  type ThreadSummary,
  type ToolCallItem,
  type Turn,
  type TurnItem,
} from "@/features/agents/turn/turn-state";

/**
 * The turn-protocol thread store of one agent, as a pure reducer: the page's
 * own requests (`request`, recorded as they are sent) and the agent's parsed
 * events (`event`) in, the state the views render out. It never throws and
 * keeps every list capped (turn-state.ts), whatever arrives: events for
 * threads this page has not opened are someone else's and are ignored;
 * duplicated events (same message_id) are dropped; events for a turn or item
 * not seen yet create it (events can arrive out of order).
 */

type Sent<R extends ClientRequest = ClientRequest> = R & { message_id: string };

export type TurnAction =
  | { type: "event"; event: AgentEvent }
  | { type: "request"; request: Sent }
  /** A request of ours never reached the agent. */
  | { type: "send-failed"; messageId: string; error: string }
  /** The agent said nothing for too long after we opened a thread. */
  | { type: "open-silent"; threadId: string; openMessageId: string }
  /** The view has acted on `startedThread`. */
  | { type: "started-seen" };

export function agentTurnReducer(state: AgentTurnState = EMPTY_AGENT_STATE, action: TurnAction): AgentTurnState {
  try {
    switch (action.type) {
      case "event":
        return applyEvent(state, action.event);
      case "request":
        return applyRequest(state, action.request);
      case "send-failed":
        return sendFailed(state, action.messageId, action.error);
      case "open-silent": {
        const thread = state.open[action.threadId];
        if (!thread || thread.phase !== "loading" || thread.openMessageId !== action.openMessageId) return state;
        return withThread(state, { ...thread, phase: "silent" });
      }
      case "started-seen":
        return state.startedThread ? { ...state, startedThread: null } : state;
    }
  } catch {
    // Nothing above should throw; if it does, the event is lost, not the page.
    return state;
  }
}

// ---- helpers ----------------------------------------------------------------

/** Whether two flat objects hold the same values (identity per field). */
function sameFields(a: object, b: object): boolean {
  const left = a as Record<string, unknown>;
  const right = b as Record<string, unknown>;
  const keys = Object.keys(left);
  return keys.length === Object.keys(right).length && keys.every((key) => left[key] === right[key]);
}

const cut = (text: string, max: number) => (text.length > max ? text.slice(0, max) : text);

function capRecord<T>(record: Record<string, T>, max: number): Record<string, T> {
  const keys = Object.keys(record);
  if (keys.length <= max) return record;
  return Object.fromEntries(keys.slice(keys.length - max).map((key) => [key, record[key]]));
}

function summary(entry: ThreadEntry): ThreadSummary {
  return { path: entry.path, name: entry.name.trim() || "Untitled chat", modifiedAt: entry.modified_at };
}

function emptyThread(id: string): OpenThread {
  return {
    id,
    phase: "ready",
    openMessageId: null,
    replayed: [],
    turns: [],
    status: null,
    usage: null,
    lastEndedTurnId: null,
  };
}

/**
 * The state with `thread` stored and marked most recently used. Past the caps
 * on open threads and on characters, the least recently used threads go
 * first, then the oldest turns of `thread` (its newest always stays).
 */
function withThread(state: AgentTurnState, thread: OpenThread): AgentTurnState {
  const order = [...state.openOrder.filter((id) => id !== thread.id), thread.id];
  const open = { ...state.open, [thread.id]: thread };
  while (order.length > LIMITS.openThreads) delete open[order.shift()!];
  let others = 0;
  for (const id of order.slice(0, -1)) others += threadChars(open[id]);
  let own = threadChars(thread);
  while (others + own > LIMITS.agentChars && order.length > 1) {
    const id = order.shift()!;
    others -= threadChars(open[id]);
    delete open[id];
  }
  if (own > LIMITS.agentChars) {
    let drop = 0;
    while (own > LIMITS.agentChars && drop < thread.turns.length - 1) own -= thread.turns[drop++].chars;
    open[thread.id] = { ...thread, turns: thread.turns.slice(drop) };
  }
  return { ...state, open, openOrder: order };
}

function newTurn(key: string, fields: Partial<Turn> = {}): Turn {
  const turn: Turn = {
    key,
    turnId: null,
    sourceMessageId: null,
    sender: null,
    own: false,
    input: [],
    steers: [],
    state: "running",
    items: [],
    error: null,
    stopped: false,
    chars: 0,
    cut: false,
    ...fields,
  };
  return { ...turn, chars: newTurnChars(turn.input) };
}

function addTurn(thread: OpenThread, turn: Turn): OpenThread {
  return { ...thread, turns: [...thread.turns, turn].slice(-LIMITS.turns) };
}

/** `thread` with its turn at `index` replaced, held to the per-turn character cap (turn-size.ts). */
function replaceTurn(thread: OpenThread, index: number, turn: Turn): OpenThread {
  const sized = sizedTurn(thread.turns[index], turn);
  if (sized === thread.turns[index]) return thread;
  const turns = thread.turns.slice();
  turns[index] = sized;
  return { ...thread, turns };
}

/**
 * The turn `turnId` (or the one our request `sourceMessageId` started),
 * created if this is the first we hear of it. During a history replay a turn
 * already shown is emptied the first time the replay reaches it, so a reload
 * after a reconnect (`since_turn`) rewrites it instead of doubling it.
 */
function turnFor(
  thread: OpenThread,
  turnId: string,
  sourceMessageId?: string,
): { thread: OpenThread; index: number; turn: Turn } {
  // By key too: a turn id shaped like one of our local keys must not make a second turn under that key.
  let index = thread.turns.findIndex(
    (turn) =>
      turn.turnId === turnId ||
      turn.key === turnId ||
      (sourceMessageId !== undefined && turn.sourceMessageId === sourceMessageId),
  );
  let next = thread;
  if (index === -1) {
    next = addTurn(thread, newTurn(turnId, { turnId, sourceMessageId: sourceMessageId ?? null }));
    index = next.turns.length - 1;
  }
  let turn = next.turns[index];
  if (turn.turnId === null && !next.turns.some((other) => other.key === turnId))
    turn = { ...turn, turnId, key: turnId };
  if (next.phase === "loading" && next.replayed.at(-1) !== turnId && !next.replayed.includes(turnId)) {
    turn = { ...turn, items: [], steers: [], error: null, stopped: false };
    next = { ...next, replayed: [...next.replayed, turnId].slice(-LIMITS.turns) };
  }
  return { thread: next, index, turn };
}

function updateTurn(
  state: AgentTurnState,
  threadId: string,
  turnId: string,
  update: (turn: Turn, thread: OpenThread) => Turn,
  sourceMessageId?: string,
): AgentTurnState {
  const open = state.open[threadId];
  if (!open || open.phase === "deleted") return state;
  const { thread, index, turn } = turnFor(open, turnId, sourceMessageId);
  const updated = update(turn, thread);
  // Nothing changed (a delta past the cap, a repeated state): no new state, no render.
  if (updated === turn && thread === open) return state;
  const replaced = replaceTurn(thread, index, updated);
  // Refused (past the turn's character cap, already marked cut): nothing changed.
  return replaced === open ? state : withThread(state, replaced);
}

function updateItem<K extends TurnItem["kind"]>(
  turn: Turn,
  itemId: string,
  kind: K,
  create: () => Extract<TurnItem, { kind: K }>,
  update: (item: Extract<TurnItem, { kind: K }>) => Extract<TurnItem, { kind: K }>,
): Turn {
  const index = turn.items.findIndex((item) => item.id === itemId);
  if (index === -1) {
    if (turn.items.length >= LIMITS.items) return turn;
    return { ...turn, items: [...turn.items, update(create())] };
  }
  const item = turn.items[index];
  // Another kind under the same id: a confused or hostile agent. Keep what is there.
  if (item.kind !== kind) return turn;
  const updated = update(item as Extract<TurnItem, { kind: K }>);
  if (sameFields(updated, item)) return turn;
  const items = turn.items.slice();
  items[index] = updated;
  return { ...turn, items };
}

function appendText<T extends { text: string; cut: boolean }>(item: T, text: string): T {
  if (item.cut) return item;
  const next = item.text + text;
  return next.length > LIMITS.itemText
    ? { ...item, text: next.slice(0, LIMITS.itemText), cut: true }
    : { ...item, text: next };
}

function argsText(args: Record<string, unknown> | undefined): string | null {
  if (args === undefined) return null;
  try {
    return cut(JSON.stringify(args), LIMITS.toolArguments);
  } catch {
    return null;
  }
}

/** A result too large to keep: the view says it cannot show it. */
const TOO_LARGE = { type: "unsupported" } as const;

function newTool(id: string, toolkit = "", tool = ""): ToolCallItem {
  return { kind: "tool", id, toolkit, tool, args: "", logs: [], state: "pending" };
}

function remember(state: AgentTurnState, messageId: string | undefined): AgentTurnState | null {
  if (messageId === undefined) return state;
  if (state.seen.includes(messageId)) return null;
  const seen = [...state.seen, messageId];
  return { ...state, seen: seen.length > LIMITS.seenMessages ? seen.slice(-LIMITS.seenMessages) : seen };
}

function withoutPending(state: AgentTurnState, messageId: string): AgentTurnState {
  if (!(messageId in state.pending)) return state;
  const { [messageId]: _, ...pending } = state.pending;
  return { ...state, pending };
}

function timestamp(value: string | undefined): number | null {
  if (value === undefined) return null;
  const ms = Date.parse(value);
  return Number.isFinite(ms) ? ms : null;
}

function finite(value: unknown): number | null {
  return typeof value === "number" && Number.isFinite(value) ? value : null;
}

// ---- our requests ------------------------------------------------------------

function applyRequest(state: AgentTurnState, request: Sent): AgentTurnState {
  const pend = (kind: PendingRequest["kind"], threadId: string | null, extra: Partial<PendingRequest> = {}) => ({
    ...state,
    pending: capRecord(
      { ...state.pending, [request.message_id]: { kind, threadId, ...extra } },
      LIMITS.pendingRequests,
    ),
  });

  switch (request.type) {
    case "meshagent.agent.thread.list":
      return pend("list", null);
    case "meshagent.agent.thread.open": {
      const current = state.open[request.thread_id] ?? emptyThread(request.thread_id);
      const since = request.since_turn !== undefined;
      const thread: OpenThread = request.load
        ? {
            ...current,
            phase: "loading",
            openMessageId: request.message_id,
            replayed: [],
            turns: since ? current.turns : [],
            status: since ? current.status : null,
          }
        : current;
      // A full replay resends events we have seen: they must not count as duplicates.
      const next = request.load ? { ...pend("open", request.thread_id), seen: [] } : pend("open", request.thread_id);
      return withThread(next, thread);
    }
    case "meshagent.agent.thread.start":
      return { ...pend("start-thread", null, { content: request.content }), startError: null };
    case "meshagent.agent.turn.start": {
      const key = `local:${request.message_id}`;
      const thread = state.open[request.thread_id] ?? emptyThread(request.thread_id);
      const turn = newTurn(key, {
        own: true,
        sourceMessageId: request.message_id,
        input: request.content,
        state: "sending",
      });
      return withThread(pend("turn", request.thread_id, { turnKey: key }), addTurn(thread, turn));
    }
    case "meshagent.agent.turn.steer": {
      const next = pend("steer", request.thread_id, { turnKey: request.turn_id });
      return updateTurn(next, request.thread_id, request.turn_id, (turn) => ({
        ...turn,
        steers: [...turn.steers, request.content].slice(-LIMITS.items),
      }));
    }
    case "meshagent.agent.turn.interrupt":
      return pend("interrupt", request.thread_id, { turnKey: request.turn_id });
    case "meshagent.agent.tool_call.approve":
    case "meshagent.agent.tool_call.reject": {
      const approval = request.type === "meshagent.agent.tool_call.approve" ? "approved" : "rejected";
      return updateTurn(state, request.thread_id, request.turn_id, (turn) =>
        updateItem(
          turn,
          request.item_id,
          "tool",
          () => newTool(request.item_id),
          (item) => ({ ...item, approval }),
        ),
      );
    }
    case "meshagent.agent.client_tool_call.response": {
      const call = state.clientCalls[request.request_id];
      if (!call) return state;
      return { ...state, clientCalls: { ...state.clientCalls, [call.requestId]: { ...call, state: "answered" } } };
    }
    default:
      return state;
  }
}

function sendFailed(state: AgentTurnState, messageId: string, error: string): AgentTurnState {
  const pending = state.pending[messageId];
  if (!pending) return state;
  const next = withoutPending(state, messageId);
  if (pending.kind === "start-thread") return { ...next, startError: error };
  if (pending.kind !== "turn" || pending.threadId === null) return next;
  const thread = next.open[pending.threadId];
  const index = thread?.turns.findIndex((turn) => turn.key === pending.turnKey) ?? -1;
  if (!thread || index === -1) return next;
  return withThread(next, replaceTurn(thread, index, { ...thread.turns[index], state: "failed", error }));
}

// ---- the agent's events ------------------------------------------------------

function applyEvent(input: AgentTurnState, event: AgentEvent): AgentTurnState {
  const state = remember(input, event.message_id);
  if (state === null) return input;
  const next = eventEffect(state, event);
  // An event that changes nothing (someone else's, unasked for) leaves no trace, not even its id.
  return next === state ? input : next;
}

function eventEffect(state: AgentTurnState, event: AgentEvent): AgentTurnState {
  switch (event.type) {
    case "meshagent.agent.thread.listed": {
      if (state.pending[event.source_message_id]?.kind !== "list") return state;
      // One entry per path: the list is keyed by path, and a repeated one is a confused or hostile agent.
      const paths = new Set<string>();
      const threads = event.threads
        .filter((entry) => !paths.has(entry.path) && paths.add(entry.path))
        .slice(0, LIMITS.listedThreads)
        .map(summary);
      return {
        ...withoutPending(state, event.source_message_id),
        list: { threads, total: Math.max(event.total, threads.length), loaded: true },
      };
    }
    case "meshagent.agent.thread.created":
    case "meshagent.agent.thread.updated": {
      const entry = summary(event.thread);
      const others = state.list.threads.filter((thread) => thread.path !== entry.path);
      const known = others.length !== state.list.threads.length;
      const threads = [entry, ...others].slice(0, LIMITS.listedThreads);
      return { ...state, list: { ...state.list, threads, total: state.list.total + (known ? 0 : 1) } };
    }
    case "meshagent.agent.thread.deleted": {
      const threads = state.list.threads.filter((thread) => thread.path !== event.path);
      const removed = threads.length !== state.list.threads.length;
      let next = removed
        ? { ...state, list: { ...state.list, threads, total: Math.max(0, state.list.total - 1) } }
        : state;
      const open = next.open[event.path];
      if (open) next = { ...next, open: { ...next.open, [event.path]: { ...open, phase: "deleted", status: null } } };
      return next;
    }
    case "meshagent.agent.thread.started": {
      const pending = state.pending[event.source_message_id];
      if (pending?.kind !== "start-thread") return state;
      let thread = state.open[event.thread_id] ?? emptyThread(event.thread_id);
      if (pending.content && pending.content.length > 0) {
        const turn = newTurn(`local:${event.source_message_id}`, {
          own: true,
          sourceMessageId: event.source_message_id,
          input: pending.content,
          state: "sending",
        });
        thread = addTurn(thread, turn);
      }
      const next = withThread(withoutPending(state, event.source_message_id), thread);
      return { ...next, startedThread: { messageId: event.source_message_id, threadId: event.thread_id } };
    }
    case "meshagent.agent.thread.loaded": {
      const thread = state.open[event.thread_id];
      if (!thread || (thread.phase !== "loading" && thread.phase !== "silent")) return state;
      if (event.source_message_id !== undefined && event.source_message_id !== thread.openMessageId) return state;
      const next = thread.openMessageId ? withoutPending(state, thread.openMessageId) : state;
      return withThread(next, { ...thread, phase: "ready", openMessageId: null, replayed: [] });
    }
    case "meshagent.agent.thread.cleared": {
      const thread = state.open[event.thread_id];
      return thread ? withThread(state, { ...thread, turns: [], status: null, usage: null }) : state;
    }
    case "meshagent.agent.thread.status": {
      const thread = state.open[event.thread_id];
      if (!thread || thread.phase === "deleted") return state;
      const text = event.status?.replace(/\s+/g, " ").trim();
      const status = text
        ? {
            text: cut(text, 120),
            mode: event.mode ?? null,
            startedAt: timestamp(event.started_at),
            turnId: event.turn_id ?? null,
          }
        : null;
      return withThread(state, { ...thread, status });
    }
    case "meshagent.agent.turn.start.accepted":
      return acceptTurn(state, event);
    case "meshagent.agent.turn.start.rejected": {
      const pending = state.pending[event.source_message_id];
      const error = turnErrorInWords(event.error);
      if (pending?.kind === "start-thread")
        return { ...withoutPending(state, event.source_message_id), startError: error };
      const threadId = pending?.threadId ?? event.thread_id;
      const thread = state.open[threadId];
      const index = thread?.turns.findIndex((turn) => turn.sourceMessageId === event.source_message_id) ?? -1;
      if (!thread || index === -1) return state;
      const turn = { ...thread.turns[index], state: "failed" as const, error };
      return withThread(withoutPending(state, event.source_message_id), replaceTurn(thread, index, turn));
    }
    case "meshagent.agent.turn.started":
      return updateTurn(
        withoutPending(state, event.source_message_id ?? ""),
        event.thread_id,
        event.turn_id,
        (turn) => ({
          ...turn,
          state: turn.state === "ended" || turn.state === "failed" ? turn.state : "running",
          input: turn.input.length > 0 ? turn.input : (event.content ?? []),
          sender: event.sender_name ?? turn.sender,
        }),
        event.source_message_id,
      );
    case "meshagent.agent.turn.steer.accepted":
    case "meshagent.agent.turn.steered": {
      const ours = event.source_message_id !== undefined && state.pending[event.source_message_id]?.kind === "steer";
      const next = ours ? withoutPending(state, event.source_message_id!) : state;
      if (ours || !event.content || event.type === "meshagent.agent.turn.steer.accepted") return next;
      const content = event.content;
      return updateTurn(next, event.thread_id, event.turn_id, (turn) => ({
        ...turn,
        steers: [...turn.steers, content].slice(-LIMITS.items),
      }));
    }
    case "meshagent.agent.turn.steer.rejected":
      return updateTurn(withoutPending(state, event.source_message_id), event.thread_id, event.turn_id, (turn) => ({
        ...turn,
        error: `Your message could not join this answer: ${turnErrorInWords(event.error)}`,
      }));
    case "meshagent.agent.turn.interrupt.accepted":
    case "meshagent.agent.turn.interrupted":
      return updateTurn(
        withoutPending(state, event.source_message_id ?? ""),
        event.thread_id,
        event.turn_id,
        (turn) => ({
          ...turn,
          stopped: true,
        }),
      );
    case "meshagent.agent.turn.ended": {
      const next = updateTurn(state, event.thread_id, event.turn_id, (turn) => {
        const cancelled = event.error?.code === "cancelled";
        return {
          ...turn,
          state: "ended",
          stopped: turn.stopped || cancelled,
          error: event.error && !cancelled ? turnErrorInWords(event.error) : turn.error,
          items: turn.items.map((item) =>
            item.kind === "tool"
              ? item.state === "ended"
                ? item
                : { ...item, state: "ended" }
              : { ...item, done: true },
          ),
        };
      });
      const thread = next.open[event.thread_id];
      if (!thread) return next;
      const status = thread.status?.turnId === event.turn_id ? null : thread.status;
      return withThread(next, { ...thread, lastEndedTurnId: event.turn_id, status });
    }
    case "meshagent.agent.text_content.started":
    case "meshagent.agent.text_content.delta":
    case "meshagent.agent.text_content.ended": {
      const delta = event.type === "meshagent.agent.text_content.delta" ? event.text : "";
      const done = event.type === "meshagent.agent.text_content.ended";
      const sender = event.type === "meshagent.agent.text_content.delta" ? event.sender_name : undefined;
      return updateTurn(state, event.thread_id, event.turn_id, (turn) =>
        updateItem(
          turn,
          event.item_id,
          "text",
          () => ({
            kind: "text",
            id: event.item_id,
            phase: event.phase ?? "final_answer",
            text: "",
            done: false,
            cut: false,
          }),
          (item) => ({
            ...appendText(item, delta),
            phase: event.phase ?? item.phase,
            done: item.done || done,
            sender: sender ?? item.sender,
          }),
        ),
      );
    }
    case "meshagent.agent.reasoning_content.started":
    case "meshagent.agent.reasoning_content.delta":
    case "meshagent.agent.reasoning_content.ended": {
      const delta = event.type === "meshagent.agent.reasoning_content.delta" ? event.text : "";
      const done = event.type === "meshagent.agent.reasoning_content.ended";
      return updateTurn(state, event.thread_id, event.turn_id, (turn) =>
        updateItem(
          turn,
          event.item_id,
          "reasoning",
          () => ({ kind: "reasoning", id: event.item_id, text: "", done: false, cut: false }),
          (item) => ({ ...appendText(item, delta), done: item.done || done }),
        ),
      );
    }
    case "meshagent.agent.file_content.started":
    case "meshagent.agent.file_content.delta":
    case "meshagent.agent.file_content.ended": {
      const url = event.type === "meshagent.agent.file_content.delta" ? event.url : null;
      const done = event.type === "meshagent.agent.file_content.ended";
      return updateTurn(state, event.thread_id, event.turn_id, (turn) =>
        updateItem(
          turn,
          event.item_id,
          "file",
          () => ({ kind: "file", id: event.item_id, url: "", done: false }),
          (item) => ({ ...item, url: url ?? item.url, done: item.done || done }),
        ),
      );
    }
    case "meshagent.agent.tool_call.pending":
    case "meshagent.agent.tool_call.in_progress":
    case "meshagent.agent.tool_call.started": {
      const running = event.type !== "meshagent.agent.tool_call.pending";
      return updateTurn(state, event.thread_id, event.turn_id, (turn) =>
        updateItem(
          turn,
          event.item_id,
          "tool",
          () => newTool(event.item_id, event.toolkit, event.tool),
          (item) => ({
            ...item,
            toolkit: event.toolkit || item.toolkit,
            tool: event.tool || item.tool,
            args: argsText(event.arguments) ?? item.args,
            state: item.state === "ended" ? "ended" : running ? "running" : item.state,
          }),
        ),
      );
    }
    case "meshagent.agent.tool_call.arguments_delta":
      return updateTurn(state, event.thread_id, event.turn_id, (turn) =>
        updateItem(
          turn,
          event.item_id,
          "tool",
          () => newTool(event.item_id),
          (item) => ({ ...item, args: cut(item.args + event.delta, LIMITS.toolArguments) }),
        ),
      );
    case "meshagent.agent.tool_call.log_delta":
      return updateTurn(state, event.thread_id, event.turn_id, (turn) =>
        updateItem(
          turn,
          event.item_id,
          "tool",
          () => newTool(event.item_id),
          (item) => ({
            ...item,
            logs: [
              ...item.logs,
              ...event.lines.map((line) => ({ source: line.source, text: cut(line.text, LIMITS.logLineText) })),
            ].slice(-LIMITS.logLines),
          }),
        ),
      );
    case "meshagent.agent.tool_call.ended":
      return updateTurn(state, event.thread_id, event.turn_id, (turn) =>
        updateItem(
          turn,
          event.item_id,
          "tool",
          () => newTool(event.item_id, event.toolkit, event.tool),
          (item) => ({
            ...item,
            toolkit: item.toolkit || event.toolkit || "",
            tool: item.tool || event.tool || "",
            state: "ended",
            result: event.result && resultChars(event.result) > LIMITS.toolResult ? TOO_LARGE : event.result,
            error: event.error ? turnErrorInWords(event.error) : undefined,
            approval: item.approval === "requested" ? undefined : item.approval,
          }),
        ),
      );
    case "meshagent.agent.tool_call.approval_requested":
      return updateTurn(state, event.thread_id, event.turn_id, (turn) =>
        updateItem(
          turn,
          event.item_id,
          "tool",
          () => newTool(event.item_id, event.toolkit, event.tool),
          (item) => ({
            ...item,
            toolkit: event.toolkit || item.toolkit,
            tool: event.tool || item.tool,
            args: argsText(event.arguments) ?? item.args,
            approval: item.approval ?? "requested",
          }),
        ),
      );
    case "meshagent.agent.client_tool_call.requested": {
      const thread = state.open[event.thread_id];
      if (!thread || thread.phase === "deleted" || event.request_id in state.clientCalls) return state;
      const call = {
        requestId: event.request_id,
        threadId: event.thread_id,
        turnId: event.turn_id,
        tool: event.tool,
        arguments: event.arguments,
        state: "requested" as const,
        replayed: thread.phase === "loading",
      };
      return { ...state, clientCalls: capRecord({ ...state.clientCalls, [call.requestId]: call }, LIMITS.clientCalls) };
    }
    case "meshagent.agent.client_tool_call.cancelled": {
      const call = state.clientCalls[event.request_id];
      if (!call || call.threadId !== event.thread_id || call.state !== "requested") return state;
      return { ...state, clientCalls: { ...state.clientCalls, [call.requestId]: { ...call, state: "cancelled" } } };
    }
    case "meshagent.agent.usage.updated": {
      const thread = state.open[event.thread_id];
      if (!thread) return state;
      const usage = {
        input: finite(event.usage.input_tokens),
        output: finite(event.usage.output_tokens),
        contextUsed: finite(event.context_window?.used_tokens),
        contextTotal: finite(event.context_window?.total_tokens),
      };
      return withThread(state, { ...thread, usage });
    }
    default:
      return state;
  }
}

function acceptTurn(
  state: AgentTurnState,
  event: Extract<AgentEvent, { type: "meshagent.agent.turn.start.accepted" }>,
): AgentTurnState {
  const pending = state.pending[event.source_message_id];
  const threadId = event.thread_id || pending?.threadId || "";
  const thread = state.open[threadId];
  if (!thread || thread.phase === "deleted") return state;
  const next = withoutPending(state, event.source_message_id);
  let index = thread.turns.findIndex(
    (turn) =>
      turn.sourceMessageId === event.source_message_id ||
      (event.turn_id && (turn.turnId === event.turn_id || turn.key === event.turn_id)),
  );
  // A turn id another turn already has: turns are keyed by it, so this one keeps its own.
  if (index !== -1 && event.turn_id && thread.turns.some((turn, i) => i !== index && turn.key === event.turn_id))
    return state;
  let updated = thread;
  if (index === -1) {
    // Someone else's turn in a shared thread, or a replay: show it as theirs.
    const key = event.turn_id ?? `local:${event.source_message_id}`;
    updated = addTurn(thread, newTurn(key, { sourceMessageId: event.source_message_id, state: "queued" }));
    index = updated.turns.length - 1;
  }
  const turn = updated.turns[index];
  const content: InputContent[] = turn.input.length > 0 ? turn.input : (event.content ?? []);
  return withThread(
    next,
    replaceTurn(updated, index, {
      ...turn,
      turnId: event.turn_id ?? turn.turnId,
      key: event.turn_id ?? turn.key,
      input: content,
      sender: event.sender_name ?? turn.sender,
      state: turn.state === "sending" ? "queued" : turn.state,
    }),
  );
}
