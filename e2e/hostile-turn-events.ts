import { prng } from "../tooling/testing/prng";

/** Every agent event type the Agents tab knows, and a few it does not. */
const EVENT_TYPES = [
  "thread.started",
  "thread.loaded",
  "thread.listed",
  "thread.created",
  "thread.updated",
  "thread.deleted",
  "thread.cleared",
  "thread.status",
  "turn.start.accepted",
  "turn.start.rejected",
  "turn.started",
  "turn.steer.accepted",
  "turn.steered",
  "turn.steer.rejected",
  "turn.interrupt.accepted",
  "turn.interrupted",
  "turn.ended",
  "text_content.started",
  "text_content.delta",
  "text_content.ended",
  "reasoning_content.started",
  "reasoning_content.delta",
  "reasoning_content.ended",
  "file_content.started",
  "file_content.delta",
  "file_content.ended",
  "tool_call.pending",
  "tool_call.in_progress",
  "tool_call.started",
  "tool_call.arguments_delta",
  "tool_call.log_delta",
  "tool_call.ended",
  "tool_call.approval_requested",
  "client_tool_call.requested",
  "client_tool_call.cancelled",
  "usage.updated",
  "model.changed",
  "capabilities_response",
  "no.such.event",
];

/**
 * Random, malformed, duplicated and oversized turn-protocol payloads, as a
 * hostile agent would send them to one person: mostly about the threads and
 * turns it names (`threads`), some about nothing at all. Seeded, so a failing
 * run can be replayed. Each payload is bare or in the older `{payload}` envelope.
 */
export function hostileTurnEvents(seed: number, count: number, threads: readonly string[]): Record<string, unknown>[] {
  const random = prng(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  // Mostly small; now and then as big as a delta may be, or bigger (refused whole at the edge).
  const text = () =>
    random() < 0.03
      ? pick(["x".repeat(64_000), "y".repeat(70_000)])
      : pick([
          "word ",
          "**bold** `code` [link](javascript:alert(1)) <img src=x onerror=alert(1)>\n",
          "\u202E\u2028👨‍👩‍👧 ".repeat(50),
          "| a | b |\n|---|---|\n| 1 | 2 |\n".repeat(20),
        ]);
  const junk = (): unknown =>
    pick<unknown>([null, 0, -1, 1e308, "", true, [], {}, { toString: 1 }, "z".repeat(300), [1, [2, [3]]]]);
  const maybe = <T>(value: () => T): T | unknown => (random() < 0.9 ? value() : junk());
  const turns = Array.from({ length: 30 }, (_, i) => `evil-turn-${i}`);

  return Array.from({ length: count }, (_, index) => {
    const event: Record<string, unknown> = {
      type: random() < 0.95 ? `meshagent.agent.${pick(EVENT_TYPES)}` : junk(),
      // Some repeated: duplicates must be dropped, not applied twice.
      message_id: random() < 0.1 ? "evil-duplicate" : `evil-${seed}-${index}`,
      thread_id: maybe(() => pick(threads)),
      turn_id: maybe(() => pick(turns)),
      item_id: maybe(() => `item-${Math.floor(random() * 300)}`),
      source_message_id: maybe(() => `evil-source-${Math.floor(random() * 5)}`),
      text: maybe(text),
      delta: maybe(text),
      phase: pick(["commentary", "final_answer", junk()]),
      url: pick(["room:///files/a.txt", "room:///../../etc/passwd", "javascript:alert(1)", junk()]),
      status: maybe(text),
      mode: pick(["busy", "steerable", junk()]),
      started_at: pick([new Date().toISOString(), "not a date", junk()]),
      toolkit: pick(["storage", "ui", junk()]),
      // Not ask_user or display_document: an agent may open those dialogs (a few, queued); that is not an attack.
      tool: pick(["show_toast", "rm -rf", junk()]),
      request_id: `evil-request-${Math.floor(random() * 20)}`,
      arguments: pick([{ subject: "Hostile form", form: [] }, { title: "Hostile toast", description: "!" }, junk()]),
      lines: Array.from({ length: random() < 0.05 ? 250 : 3 }, () => ({ source: "stdout", text: "log ".repeat(30) })),
      result:
        random() < 0.02
          ? { type: "json", json: { big: "r".repeat(100_000) } }
          : pick([{ type: "text", text: "ok" }, junk()]),
      error: pick([{ message: "boom", code: "turn_ended" }, junk()]),
      content: pick([[{ type: "text", text: "posing as you" }], junk()]),
      sender_name: pick(["Alice", "the room", junk()]),
      usage: pick([{ input_tokens: 1e12, output_tokens: -5 }, junk()]),
      thread: { path: maybe(() => pick(threads)), name: maybe(text) },
      path: maybe(() => pick(threads)),
      threads: Array.from({ length: Math.floor(random() * 50) }, (_, i) => ({ path: `evil-${i}`, name: "spam" })),
      total: junk(),
    };
    return random() < 0.3 ? { payload: event } : event;
  });
}
