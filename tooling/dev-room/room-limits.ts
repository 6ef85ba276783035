// Every limit the dev room enforces on what one participant may store or send,
// in one place so the README, the tests and the server agree.

/**
 * Attributes participants may not change: `name` is the token's name (the SDK's
 * getParticipantByName and every UI read it), `role` is the token's role grant.
 * The SDK takes a participant's role from the record's `role` field, never from
 * attributes, so a `role` attribute could only ever be a spoof.
 */
export const SERVER_OWNED_ATTRIBUTES: ReadonlySet<string> = new Set(["name", "role"]);

/**
 * Keys refused outright: clients copy attributes into plain objects with
 * `obj[key] = value`, so `__proto__` would replace the prototype of a peer's object.
 */
export const FORBIDDEN_ATTRIBUTE_KEYS: ReadonlySet<string> = new Set(["__proto__", "constructor", "prototype"]);

export const ATTRIBUTE_LIMITS = {
  /** Keys one participant may hold, `name` included. */
  maxKeys: 64,
  /** UTF-8 bytes of one key. */
  maxKeyBytes: 256,
  /** UTF-8 bytes of one value, JSON-encoded. */
  maxValueBytes: 16 * 1024,
  /** UTF-8 bytes of all keys plus JSON-encoded values of one participant. */
  maxTotalBytes: 64 * 1024,
} as const;

/**
 * `messaging.send` types the SDK's MessagingClient acts on (presence and
 * attributes) and the namespaces they live in: only the server may emit them.
 */
export const RESERVED_MESSAGE_TYPE_PREFIXES: readonly string[] = ["participant.", "messaging."];

export function isReservedMessageType(type: string): boolean {
  return RESERVED_MESSAGE_TYPE_PREFIXES.some((prefix) => type.startsWith(prefix));
}

/** Outbound flow control per socket; backlog = bytes queued by the server + bytes buffered by ws. */
export const FLOW_LIMITS = {
  /** ws is handed more frames only while it buffers less than this. */
  socketBufferBytes: 1 << 20,
  /** A socket with this much backlog pauses reading from every sender into its room. */
  highWaterBytes: 8 << 20,
  /** ...until its backlog is back under this. */
  lowWaterBytes: 2 << 20,
  /** A receiver this far behind is closed with 1008 (only reachable by many senders at once). */
  maxQueuedBytes: 64 << 20,
  /** A receiver over the high-water mark that takes no message for this long is closed with 1008 (a slow one is not). */
  stallMs: 20_000,
} as const;

/** One send pump turn runs at most this long before yielding to the event loop (D17). */
export const SEND_BUDGET_MS = 8;
/** Messages one socket may send in a pump turn before the next socket gets its go. */
export const SEND_BATCH_MESSAGES = 64;

/** HTTP server timeouts: a client that never finishes its upgrade request is dropped (D18). */
export const HTTP_TIMEOUTS = {
  headersTimeoutMs: 5_000,
  requestTimeoutMs: 10_000,
  /** How often Node checks the two timeouts above. */
  checkIntervalMs: 500,
} as const;

/** Participant toolkits (toolkits.ts); startDevRoomServer's `toolkitLimits` overrides them (tests shrink them). */
export const TOOLKIT_LIMITS = {
  /** Toolkits one participant may have registered at once. */
  maxToolkitsPerParticipant: 16,
  /** `room.register_toolkit` requests one participant may send per minute (ones refused for other reasons count too). */
  maxRegistrationsPerMinute: 60,
  /** Tools in one toolkit. */
  maxToolsPerToolkit: 64,
  /** UTF-8 bytes of one registration (name, title, description, tools and their schemas), JSON-encoded. */
  maxToolkitBytes: 64 * 1024,
  /** Bytes of one call's arguments: the content header (and caller_context) JSON plus its payload. */
  maxArgumentBytes: 256 * 1024,
  /** Calls one participant may have waiting for answers, all hosts together. */
  maxCallsInFlightPerCaller: 32,
  /** Calls waiting on one host, all callers together. */
  maxCallsInFlightPerHost: 64,
} as const;

/** A host that has not answered a tool call by then costs the caller a 1009 error (DEV_ROOM_TOOL_CALL_TIMEOUT_MS). */
export const DEFAULT_TOOL_CALL_TIMEOUT_MS = 30_000;
