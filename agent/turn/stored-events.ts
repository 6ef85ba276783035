// What the demo agent keeps of a finished turn for history replay
// (thread.open {load: true}). A replay moves one room message per stored
// event, and the room and the SDK move a few hundred to two thousand of them
// a second, so a finished turn is stored in the fewest events that still say
// everything a client shows:
//
//   turn.started (the input, who sent it)  ·  one delta per text or reasoning
//   item (its whole text, with the text's phase)  ·  the other items as they
//   came  ·  turn.ended (which, per the protocol, ends every item of the turn)
//
// Dropped: turn.start.accepted when turn.started follows (same turn id,
// input and sender), the started/ended events of text and reasoning items,
// and every usage.updated but the thread's latest (the footer shows the
// latest only). A turn that has not ended is kept exactly as it came.

import { TURN_LIMITS } from "../../lib/shared/agent-turn/limits";
import type { AgentEvent } from "../../lib/shared/agent-turn/messages";

type Of<T extends AgentEvent["type"]> = Extract<AgentEvent, { type: T }>;
type ContentDelta = Of<"meshagent.agent.text_content.delta"> | Of<"meshagent.agent.reasoning_content.delta">;

const ITEM_BOUNDS = new Set<AgentEvent["type"]>([
  "meshagent.agent.text_content.started",
  "meshagent.agent.text_content.ended",
  "meshagent.agent.reasoning_content.started",
  "meshagent.agent.reasoning_content.ended",
]);

function isContentDelta(event: AgentEvent): event is ContentDelta {
  return (
    event.type === "meshagent.agent.text_content.delta" || event.type === "meshagent.agent.reasoning_content.delta"
  );
}

function turnIdOf(event: AgentEvent): string | undefined {
  return "turn_id" in event && typeof event.turn_id === "string" ? event.turn_id : undefined;
}

/** The thread's stored events with every finished turn in its compact form (idempotent). */
export function compactStoredEvents(events: readonly AgentEvent[]): AgentEvent[] {
  const ended = new Set<string>();
  const started = new Set<string>();
  let lastUsage = -1;
  events.forEach((event, i) => {
    if (event.type === "meshagent.agent.turn.ended") ended.add(event.turn_id);
    else if (event.type === "meshagent.agent.turn.started") started.add(event.turn_id);
    else if (event.type === "meshagent.agent.usage.updated") lastUsage = i;
  });

  const out: AgentEvent[] = [];
  // The phase a text item's started event gave it, carried onto its merged delta.
  const phases = new Map<string, "commentary" | "final_answer">();
  events.forEach((event, i) => {
    const turnId = turnIdOf(event);
    if (turnId === undefined || !ended.has(turnId)) {
      out.push(event);
      return;
    }
    if (event.type === "meshagent.agent.usage.updated" && i !== lastUsage) return;
    if (event.type === "meshagent.agent.turn.start.accepted" && started.has(turnId)) return;
    if (ITEM_BOUNDS.has(event.type)) {
      if (event.type === "meshagent.agent.text_content.started" && event.phase) phases.set(event.item_id, event.phase);
      return;
    }
    if (!isContentDelta(event)) {
      out.push(event);
      return;
    }
    const delta: ContentDelta =
      event.type === "meshagent.agent.text_content.delta" && !event.phase && phases.has(event.item_id)
        ? { ...event, phase: phases.get(event.item_id) }
        : event;
    const last = out[out.length - 1];
    if (
      last &&
      last.type === delta.type &&
      last.item_id === delta.item_id &&
      last.text.length + delta.text.length <= TURN_LIMITS.deltaText
    ) {
      out[out.length - 1] = { ...last, text: last.text + delta.text } as ContentDelta;
      return;
    }
    out.push(delta);
  });
  return out;
}

/** Where the second turn of `events` begins (a compact turn begins with turn.started); -1 if there is none. */
export function nextTurnStart(events: readonly AgentEvent[]): number {
  const first = turnIdOf(events[0] ?? ({} as AgentEvent));
  return events.findIndex(
    (event, i) =>
      i > 0 &&
      (event.type === "meshagent.agent.turn.start.accepted" || event.type === "meshagent.agent.turn.started") &&
      event.turn_id !== first,
  );
}
