// Streamed tool calls, as the SDK's RoomClient.invokeStream drives them:
//   C->S room.invoke_tool {toolkit, tool, tool_call_id, arguments:{type:"control",method:"open"}}
//   S->C __response__ {type:"control",method:"open"}
//   C->S room.tool_call_request_chunk {tool_call_id, chunk:<content header>} + payload,
//        each answered with its own __response__ (the client awaits it before the next one)
//        and the last one always {type:"control",method:"close"}
//   S->C room.tool_call_response_chunk {tool_call_id, chunk:<content header>} + payload,
//        ending with {type:"control",method:"close"}
// Chunks of one call are handled one at a time and in order.

import { unpackMessage, type JsonObject, type ProtocolMessage } from "./framing";
import type { Participant } from "./participant";
import { ErrorCode, RequestError, emptyContent, errorContent, type ErrorCodeValue } from "./content";

export interface StreamChunk {
  /** The content header, e.g. {type:"binary", headers:{...}}. */
  header: JsonObject;
  payload: Uint8Array;
}

export interface StreamHandler {
  /** One client chunk other than control close. A thrown RequestError ends the call with that error. */
  chunk(chunk: StreamChunk): Promise<void> | void;
  /** The client closed its input. */
  end(): Promise<void> | void;
  /** The call ended early (error, or the participant left): release what it holds. Must not throw. */
  abort(): void;
}

/** The server's side of one streamed call. */
export class ToolCallStream {
  private outputClosed = false;

  constructor(
    private readonly participant: Participant,
    readonly toolCallId: string,
  ) {}

  get closed(): boolean {
    return this.outputClosed;
  }

  send(content: JsonObject, payload?: Uint8Array): void {
    if (this.outputClosed) return;
    this.participant.push("room.tool_call_response_chunk", { tool_call_id: this.toolCallId, chunk: content }, payload);
  }

  sendBinary(headers: JsonObject, data?: Uint8Array): void {
    this.send({ type: "binary", headers }, data);
  }

  close(): void {
    this.send({ type: "control", method: "close", status_code: 1000 });
    this.outputClosed = true;
  }

  fail(text: string, code: ErrorCodeValue): void {
    this.send(errorContent(text, code));
    this.close();
  }
}

interface Entry {
  stream: ToolCallStream;
  handler: StreamHandler;
  /** Tail of the chunk queue. */
  queue: Promise<void>;
  /** Payload bytes received but not yet handled. */
  pendingBytes: number;
  failed: boolean;
}

/** Open streamed calls one participant may hold; more is a misbehaving client. */
const MAX_OPEN_CALLS = 64;
const MAX_TOOL_CALL_ID_LENGTH = 256;
/**
 * Chunks are handled one at a time; a peer that sends faster than that (the
 * SDK never does: it waits for each pull and response) must not pile up memory.
 */
const MAX_PENDING_BYTES = 8 << 20;

export class ToolStreams {
  private readonly calls = new Map<Participant, Map<string, Entry>>();

  constructor(private readonly log: (line: string) => void) {}

  /** Answers the open request; `create` builds the handler once the call is registered. */
  open(
    participant: Participant,
    requestId: number,
    toolCallId: unknown,
    args: unknown,
    label: string,
    create: (stream: ToolCallStream) => StreamHandler,
  ): void {
    const a = args as JsonObject | null;
    if (typeof a !== "object" || a === null || a.type !== "control" || a.method !== "open") {
      throw new RequestError(
        `invalid arguments: ${label} is a streamed tool, open it with {type:"control",method:"open"}`,
        ErrorCode.INVALID_REQUEST,
      );
    }
    if (typeof toolCallId !== "string" || toolCallId.length === 0 || toolCallId.length > MAX_TOOL_CALL_ID_LENGTH) {
      throw new RequestError(
        `invalid request: tool_call_id must be a string of 1..${MAX_TOOL_CALL_ID_LENGTH} characters`,
        ErrorCode.INVALID_REQUEST,
      );
    }
    let mine = this.calls.get(participant);
    if (mine === undefined) {
      mine = new Map();
      this.calls.set(participant, mine);
    }
    if (mine.has(toolCallId)) {
      throw new RequestError(`invalid request: tool call ${toolCallId} is already open`, ErrorCode.INVALID_REQUEST);
    }
    if (mine.size >= MAX_OPEN_CALLS) {
      throw new RequestError(`too many open streamed tool calls (limit ${MAX_OPEN_CALLS})`, ErrorCode.OPERATION_FAILED);
    }
    const stream = new ToolCallStream(participant, toolCallId);
    mine.set(toolCallId, { stream, handler: create(stream), queue: Promise.resolve(), pendingBytes: 0, failed: false });
    participant.respond(requestId, { type: "control", method: "open" });
  }

  /** A room.tool_call_request_chunk. Throws RequestError for chunks that belong to no open call. */
  chunk(participant: Participant, message: ProtocolMessage): void {
    const unpacked = unpackMessage(message.data);
    if (!unpacked.ok) throw new RequestError(`invalid request: ${unpacked.reason}`, ErrorCode.INVALID_REQUEST);
    const { tool_call_id: toolCallId, chunk } = unpacked.header;
    const entry = typeof toolCallId === "string" ? this.calls.get(participant)?.get(toolCallId) : undefined;
    if (entry === undefined) {
      throw new RequestError(`tool call not found: ${String(toolCallId)}`, ErrorCode.NOT_FOUND);
    }
    if (
      typeof chunk !== "object" ||
      chunk === null ||
      Array.isArray(chunk) ||
      typeof (chunk as JsonObject).type !== "string"
    ) {
      throw new RequestError("invalid request: chunk must be a content header with a type", ErrorCode.INVALID_REQUEST);
    }
    participant.respond(message.id, emptyContent());
    const header = chunk as JsonObject;
    const isClose = header.type === "control" && header.method === "close";
    if (entry.failed && !isClose) return; // the call is over; only its close still matters
    const payload = unpacked.payload.slice();
    if (!entry.failed && entry.pendingBytes + payload.length > MAX_PENDING_BYTES) {
      this.failEntry(
        participant,
        entry,
        new RequestError(
          `too much unprocessed data (over ${MAX_PENDING_BYTES} bytes); wait for pulls`,
          ErrorCode.OPERATION_FAILED,
        ),
      );
    }
    entry.pendingBytes += payload.length;
    entry.queue = entry.queue.then(async () => {
      entry.pendingBytes -= payload.length;
      if (entry.failed) {
        if (isClose) this.forget(participant, entry);
        return;
      }
      try {
        if (isClose) {
          await entry.handler.end();
          this.forget(participant, entry);
          if (!entry.stream.closed) entry.stream.close();
        } else {
          await entry.handler.chunk({ header, payload });
        }
      } catch (error) {
        this.failEntry(participant, entry, error);
        if (isClose) this.forget(participant, entry);
      }
    });
  }

  /** Ends a call from the server side with an error (e.g. a document it follows went away). */
  private failEntry(participant: Participant, entry: Entry, error: unknown): void {
    entry.failed = true;
    if (error instanceof RequestError) {
      entry.stream.fail(error.message, error.code);
    } else {
      this.log(`internal error in streamed call ${entry.stream.toolCallId} of ${participant.id}: ${String(error)}`);
      entry.stream.fail("internal error", ErrorCode.OPERATION_FAILED);
    }
    entry.handler.abort();
  }

  private forget(participant: Participant, entry: Entry): void {
    const mine = this.calls.get(participant);
    if (mine?.get(entry.stream.toolCallId) === entry) mine.delete(entry.stream.toolCallId);
    if (mine?.size === 0) this.calls.delete(participant);
  }

  /** The participant left: every call it had open is aborted. */
  leave(participant: Participant): void {
    const mine = this.calls.get(participant);
    if (mine === undefined) return;
    this.calls.delete(participant);
    for (const entry of mine.values()) {
      entry.failed = true;
      entry.handler.abort();
    }
  }

  /** Waits for all queued chunk work (used on shutdown). */
  async settle(): Promise<void> {
    const queues = [...this.calls.values()].flatMap((m) => [...m.values()].map((e) => e.queue));
    await Promise.allSettled(queues);
  }
}

export function binaryHeaders(chunk: StreamChunk, label: string): JsonObject {
  const headers = chunk.header.headers;
  if (chunk.header.type !== "binary" || typeof headers !== "object" || headers === null || Array.isArray(headers)) {
    throw new RequestError(
      `invalid chunk for ${label}: expected binary content with headers`,
      ErrorCode.INVALID_REQUEST,
    );
  }
  return headers as JsonObject;
}
