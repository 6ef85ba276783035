import { createStore } from "zustand/vanilla";
import { agentTurnReducer, type TurnAction } from "@/features/agents/turn/thread-store";
import { EMPTY_AGENT_STATE, type AgentTurnState } from "@/features/agents/turn/turn-state";

/** Agents whose threads this page keeps (by name); the least recently used goes first. */
const MAX_AGENTS = 20;
/** Events queued before a flush is forced, so a flood cannot grow the queue. */
const MAX_QUEUED = 2000;
/**
 * While a thread's history replays, its view shows "Loading the history…",
 * not the turns (turns-on-screen.ts): the replayed events are applied every
 * frame but the views hear of them at most this often. A 500-turn replay is
 * about 1,500 events over ~0.7 s, and rendering the tab every frame of it
 * cost the page ~100 ms it needed for the replay itself
 * (tooling/bench/agent-long-history.ts). thread.loaded is shown at once.
 */
export const REPLAY_PUBLISH_MS = 250;

/** The longest pause between two publications of a streaming text. */
const MAX_PACE_MS = 150;
/**
 * The shortest, once a text has begun: ten paints a second reads as a steady
 * stream (Vercel's ai-chatbot throttles its chat to the same), and each paint
 * costs the page a markdown parse of the answer's last block, the garbage it
 * leaves and the JIT work that garbage undoes: publishing every frame (~20 a
 * second on average over a 30,000-character answer) kept V8's helper threads
 * about as busy as the page's main thread, on the same cores.
 */
const MIN_PACE_MS = 100;

/**
 * How long the views may wait to hear that a streaming text grew: not at all
 * for its first words (16.1: they are painted at once), then 100 ms, longer
 * as it grows past 20,000 characters (about one millisecond per 200), because
 * each paint of an answer splits and lays out its whole markdown again; at
 * most 150 ms. Until it is published, nothing on the page renders for the
 * stream, so a paint of the answer (a deferred, interruptible render:
 * agent-reply-bubble.tsx) runs to its end instead of starting over at every
 * frame.
 */
export function paceMs(length: number): number {
  if (length === 0) return 0;
  return Math.min(MAX_PACE_MS, Math.max(MIN_PACE_MS, Math.floor(length / 200)));
}

/** An action for one agent's state, waiting for the next flush. */
type Queued = { agent: string; action: TurnAction };

export interface TurnStore {
  agents: Readonly<Record<string, AgentTurnState>>;
  /** The thread shown per agent: a thread id, or null for a new chat not started yet. */
  selected: Readonly<Record<string, string | null>>;
  /** Our own requests: applied at once, after any events still queued. */
  dispatch: (agent: string, action: TurnAction) => void;
  /** The agent's events: applied together once per frame; a streaming text is published at its pace (paceMs). */
  queueEvent: (agent: string, action: TurnAction) => void;
  select: (agent: string, thread: string | null) => void;
}

function withAgent(
  agents: Readonly<Record<string, AgentTurnState>>,
  name: string,
  state: AgentTurnState,
): Record<string, AgentTurnState> {
  const { [name]: _, ...others } = agents;
  const kept = Object.entries(others).slice(-(MAX_AGENTS - 1));
  return { ...Object.fromEntries(kept), [name]: state };
}

function reduceAll(agents: Readonly<Record<string, AgentTurnState>>, batch: Queued[]) {
  let next = agents;
  for (const { agent, action } of batch) {
    // An agent's events count only once the page has asked it something (its requests made its state):
    // agents the person never opened cannot take the page's memory, or push out the ones it uses.
    if (action.type === "event" && !(agent in next)) continue;
    const current = next[agent] ?? EMPTY_AGENT_STATE;
    const updated = agentTurnReducer(current, action);
    if (updated !== current) next = withAgent(next, agent, updated);
  }
  return next;
}

/** An event of this batch belongs to a thread whose history is still replaying. */
function replayIn(batch: Queued[], agents: Readonly<Record<string, AgentTurnState>>) {
  return batch.some(({ agent, action }) => {
    if (action.type !== "event" || !("thread_id" in action.event)) return false;
    const threadId = action.event.thread_id;
    return typeof threadId === "string" && agents[agent]?.open[threadId]?.phase === "loading";
  });
}

/**
 * How long this batch may wait before the views hear of it: only a batch that
 * just grows texts already on screen waits, paced by the largest turn it
 * grows. Anything else (a new item, a turn or status change) is shown with
 * the next frame, along with what was waiting.
 */
function streamingPace(batch: Queued[], agents: Readonly<Record<string, AgentTurnState>>) {
  let chars = 0;
  for (const { agent, action } of batch) {
    if (action.type !== "event") return 0;
    const { event } = action;
    if (event.type !== "meshagent.agent.text_content.delta" && event.type !== "meshagent.agent.reasoning_content.delta")
      return 0;
    const turn = agents[agent]?.open[event.thread_id]?.turns.findLast(
      (candidate) => candidate.turnId === event.turn_id,
    );
    if (!turn || !turn.items.some((item) => item.id === event.item_id)) return 0;
    chars = Math.max(chars, turn.chars);
  }
  return paceMs(chars);
}

function schedule(flush: () => void) {
  if (typeof document !== "undefined" && document.visibilityState === "visible") requestAnimationFrame(flush);
  // Hidden tabs get no animation frames; keep up anyway, more slowly.
  else setTimeout(flush, 100);
}

/** Every turn-protocol agent's threads on this page: a room-scoped store (useRoomStore), so views come and go freely. */
export function createTurnStore() {
  let queue: Queued[] = [];
  let scheduled = false;
  /** Applied, not yet published: replayed history or a streaming text, within their pause since the last publication. */
  let held: Readonly<Record<string, AgentTurnState>> | null = null;
  let heldTimer: ReturnType<typeof setTimeout> | null = null;
  let publishedAt = Number.NEGATIVE_INFINITY;

  return createStore<TurnStore>((set, get) => {
    const publish = () => {
      if (heldTimer !== null) clearTimeout(heldTimer);
      heldTimer = null;
      const agents = held;
      held = null;
      publishedAt = performance.now();
      if (agents && agents !== get().agents) set({ agents });
    };
    const flush = () => {
      scheduled = false;
      if (queue.length === 0) return;
      const batch = queue;
      queue = [];
      const current = held ?? get().agents;
      const agents = reduceAll(current, batch);
      if (agents === current) return;
      held = agents;
      const pause = Math.max(replayIn(batch, agents) ? REPLAY_PUBLISH_MS : 0, streamingPace(batch, current));
      const wait = publishedAt + pause - performance.now();
      if (wait > 0) heldTimer ??= setTimeout(publish, wait);
      else publish();
    };
    return {
      agents: {},
      selected: {},
      dispatch: (agent, action) => {
        // On top of everything queued or held, published together in one update.
        flush();
        held = reduceAll(held ?? get().agents, [{ agent, action }]);
        publish();
      },
      queueEvent: (agent, action) => {
        queue.push({ agent, action });
        if (queue.length >= MAX_QUEUED) return flush();
        if (!scheduled) {
          scheduled = true;
          schedule(flush);
        }
      },
      select: (agent, thread) => set((state) => ({ selected: { ...state.selected, [agent]: thread } })),
    };
  });
}

export const TURN_STORE = "agent-turns";
