// Caps on everything a turn-protocol message may carry. Messages come from
// other participants (a browser, an agent, or someone posing as either), so a
// message over a cap is refused whole at the edge rather than trimmed: a
// well-behaved MeshAgent agent stays far below all of these.

export const TURN_LIMITS = {
  /** message_id, turn_id, item_id, request_id, call_id. */
  id: 200,
  /** thread_id and thread list paths (opaque paths chosen by the agent). */
  threadId: 1024,
  /** Thread names, sender names, toolkit and tool names, file names. */
  name: 256,
  /** One text item of a turn's input. */
  inputText: 32_000,
  /** Content items in one turn.start / turn.steer. */
  contentItems: 32,
  /** One text or reasoning delta (the whole answer is capped by the receiver). */
  deltaText: 64_000,
  /** thread.status text. */
  statusText: 500,
  /** An error's message, a tool result's text. */
  errorMessage: 4000,
  resultText: 64_000,
  /** URLs (room:///… file urls, links). */
  url: 2048,
  /** Entries in one thread.listed. */
  threadsListed: 1000,
  /** thread.list page size (MeshAgent clamps to 1..200). */
  listPage: 200,
  /** Lines in one tool_call.log_delta, and characters per line. */
  logLines: 200,
  logLineText: 8000,
  /** Tool arguments, results and input schemas, measured as JSON text. */
  json: 256_000,
  /** One tool_call.arguments_delta. */
  argumentsDelta: 64_000,
  /** Tools offered in one turn's client_toolkits. */
  clientTools: 32,
  /** Tool descriptions and titles. */
  description: 4000,
  /** Keys in usage.updated's usage map. */
  usageKeys: 32,
  /** ISO timestamps and short codes. */
  timestamp: 64,
  code: 100,
  /** Toolkits and their tools in a capabilities_response. */
  toolkits: 64,
  toolsPerToolkit: 128,
} as const;
