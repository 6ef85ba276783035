// Wire format of the MeshAgent room protocol: a logical message (id, type, data)
// travels as one header packet plus ceil(len(data)/1024) data packets, each a
// binary WebSocket frame. Message bodies are "packed": 8-byte BE JSON length,
// JSON object, raw payload.

export const DATA_CHUNK_BYTES = 1024;
export const HEADER_PACKET_PREFIX_BYTES = 16;
export const DATA_PACKET_PREFIX_BYTES = 12;
export const MAX_TYPE_BYTES = 256;
export const DEFAULT_MAX_MESSAGE_BYTES = 1024 * 1024;

const TWO_POW_32 = 2 ** 32;

export interface ProtocolMessage {
  id: number;
  type: string;
  data: Uint8Array;
}

const utf8 = new TextEncoder();
// fatal: a type or JSON header that is not valid UTF-8 must be refused, not
// silently repaired into U+FFFD.
const strictUtf8 = new TextDecoder("utf-8", { fatal: true });

function writeId(view: DataView, id: number): void {
  view.setUint32(0, Math.floor(id / TWO_POW_32), false);
  view.setUint32(4, id % TWO_POW_32, false);
}

function readId(view: DataView): number {
  return view.getUint32(0, false) * TWO_POW_32 + view.getUint32(4, false);
}

function viewOf(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** Splits one logical message into the frames to send, header first. */
export function encodeMessage(message: ProtocolMessage): Uint8Array[] {
  const { id, type, data } = message;
  if (!Number.isSafeInteger(id) || id < 0) {
    throw new RangeError(`message id must be a non-negative safe integer, got ${id}`);
  }
  const typeBytes = utf8.encode(type);
  const count = Math.ceil(data.length / DATA_CHUNK_BYTES);

  const header = new Uint8Array(HEADER_PACKET_PREFIX_BYTES + typeBytes.length);
  const headerView = viewOf(header);
  writeId(headerView, id);
  headerView.setUint32(8, 0, false);
  headerView.setUint32(12, count, false);
  header.set(typeBytes, HEADER_PACKET_PREFIX_BYTES);

  const frames = [header];
  for (let index = 1; index <= count; index++) {
    const chunk = data.subarray((index - 1) * DATA_CHUNK_BYTES, index * DATA_CHUNK_BYTES);
    const packet = new Uint8Array(DATA_PACKET_PREFIX_BYTES + chunk.length);
    const view = viewOf(packet);
    writeId(view, id);
    view.setUint32(8, index, false);
    packet.set(chunk, DATA_PACKET_PREFIX_BYTES);
    frames.push(packet);
  }
  return frames;
}

export type FrameErrorCode =
  /** Frame too short to hold a packet prefix; nothing in it can be trusted. */
  | "malformed_packet"
  /** Header type is empty, too long or not UTF-8. */
  | "invalid_type"
  /** Declared or accumulated size over the limit; the rest of that message is skipped. */
  | "message_too_large"
  /** A data packet with a too-large chunk, wrong index or wrong id; the message being assembled is dropped. */
  | "out_of_order"
  /** A data packet arrived while no message was being assembled. */
  | "unexpected_packet"
  /** A new header arrived before the previous message was complete. */
  | "incomplete_message";

export interface FrameError {
  code: FrameErrorCode;
  detail: string;
  /** Present when the error can be attributed to a message the peer may be waiting on. */
  id?: number;
  type?: string;
  /** The byte stream cannot be trusted any more; the connection should be closed. */
  fatal: boolean;
}

export type ReassemblyEvent = { kind: "message"; message: ProtocolMessage } | { kind: "error"; error: FrameError };

type ReassemblyState =
  | { phase: "idle" }
  | { phase: "receiving"; id: number; type: string; count: number; next: number; chunks: Uint8Array[]; size: number }
  // Swallows the remaining packets of a message already answered with an error.
  | { phase: "skipping"; id: number };

/**
 * Per-socket reassembler. Never throws on peer input: problems come back as
 * error events so the caller decides between answering and closing.
 * Like the SDK's receiver, a header packet always starts a new message, which
 * is how the stream resynchronises after an error.
 */
export class MessageReassembler {
  private state: ReassemblyState = { phase: "idle" };
  private readonly maxMessageBytes: number;
  private readonly maxPackets: number;

  constructor(maxMessageBytes: number = DEFAULT_MAX_MESSAGE_BYTES) {
    if (!Number.isSafeInteger(maxMessageBytes) || maxMessageBytes < 1) {
      throw new RangeError(`maxMessageBytes must be a positive integer, got ${maxMessageBytes}`);
    }
    this.maxMessageBytes = maxMessageBytes;
    this.maxPackets = Math.ceil(maxMessageBytes / DATA_CHUNK_BYTES);
  }

  feed(frame: Uint8Array): ReassemblyEvent[] {
    if (frame.length < DATA_PACKET_PREFIX_BYTES) {
      this.state = { phase: "idle" };
      return [fail("malformed_packet", `frame of ${frame.length} bytes is shorter than a packet prefix`, true)];
    }
    const view = viewOf(frame);
    const id = readId(view);
    const index = view.getUint32(8, false);
    return index === 0 ? this.onHeader(frame, view, id) : this.onData(frame, id, index);
  }

  private onHeader(frame: Uint8Array, view: DataView, id: number): ReassemblyEvent[] {
    const events: ReassemblyEvent[] = [];
    const previous = this.state;
    this.state = { phase: "idle" };
    if (previous.phase === "receiving") {
      events.push(
        fail(
          "incomplete_message",
          `message ${previous.id} ended after ${previous.next - 1} of ${previous.count} packets`,
          false,
          previous.id,
          previous.type,
        ),
      );
    }
    if (frame.length < HEADER_PACKET_PREFIX_BYTES) {
      events.push(
        fail(
          "malformed_packet",
          `header frame of ${frame.length} bytes is shorter than ${HEADER_PACKET_PREFIX_BYTES}`,
          true,
        ),
      );
      return events;
    }
    const count = view.getUint32(12, false);
    const typeBytes = frame.subarray(HEADER_PACKET_PREFIX_BYTES);
    let type: string;
    try {
      type = strictUtf8.decode(typeBytes);
    } catch {
      events.push(fail("invalid_type", "message type is not valid UTF-8", true));
      return events;
    }
    if (type.length === 0 || typeBytes.length > MAX_TYPE_BYTES) {
      // Unusable type, but the id is intact: skip the body and carry on.
      this.state = count > 0 ? { phase: "skipping", id } : { phase: "idle" };
      events.push(fail("invalid_type", `message type must be 1..${MAX_TYPE_BYTES} bytes`, false, id));
      return events;
    }
    if (count > this.maxPackets) {
      this.state = { phase: "skipping", id };
      events.push(
        fail(
          "message_too_large",
          `message declares ${count} packets, limit is ${this.maxMessageBytes} bytes`,
          false,
          id,
          type,
        ),
      );
      return events;
    }
    if (count === 0) {
      events.push({ kind: "message", message: { id, type, data: new Uint8Array(0) } });
      return events;
    }
    this.state = { phase: "receiving", id, type, count, next: 1, chunks: [], size: 0 };
    return events;
  }

  private onData(frame: Uint8Array, id: number, index: number): ReassemblyEvent[] {
    const state = this.state;
    if (state.phase === "skipping" && state.id === id) {
      return [];
    }
    if (state.phase !== "receiving") {
      this.state = { phase: "idle" };
      return [fail("unexpected_packet", `data packet ${index} of message ${id} without a header`, false)];
    }
    const chunk = frame.subarray(DATA_PACKET_PREFIX_BYTES);
    let problem: string | null = null;
    if (id !== state.id) problem = `data packet of message ${id} inside message ${state.id}`;
    else if (index !== state.next) problem = `packet ${index} of message ${id} where ${state.next} was expected`;
    else if (chunk.length > DATA_CHUNK_BYTES)
      problem = `data packet carries ${chunk.length} bytes, limit is ${DATA_CHUNK_BYTES}`;
    else if (chunk.length === 0) problem = `empty data packet ${index} of message ${id}`;
    if (problem !== null) {
      this.state = { phase: "skipping", id: state.id };
      return [fail("out_of_order", problem, false, state.id, state.type)];
    }
    state.size += chunk.length;
    if (state.size > this.maxMessageBytes) {
      this.state = { phase: "skipping", id };
      return [
        fail("message_too_large", `message exceeds the limit of ${this.maxMessageBytes} bytes`, false, id, state.type),
      ];
    }
    // Copy: the frame buffer belongs to the socket layer.
    state.chunks.push(chunk.slice());
    if (state.next < state.count) {
      state.next += 1;
      return [];
    }
    this.state = { phase: "idle" };
    return [{ kind: "message", message: { id, type: state.type, data: concat(state.chunks, state.size) } }];
  }
}

function fail(code: FrameErrorCode, detail: string, fatal: boolean, id?: number, type?: string): ReassemblyEvent {
  const error: FrameError = { code, detail, fatal };
  if (id !== undefined) error.id = id;
  if (type !== undefined) error.type = type;
  return { kind: "error", error };
}

function concat(parts: Uint8Array[], total: number): Uint8Array {
  const out = new Uint8Array(total);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

export type JsonObject = Record<string, unknown>;

/** body = u64 BE JSON length ‖ JSON object ‖ payload */
export function packMessage(header: JsonObject, payload?: Uint8Array): Uint8Array {
  const json = utf8.encode(JSON.stringify(header));
  const body = new Uint8Array(8 + json.length + (payload?.length ?? 0));
  const view = viewOf(body);
  view.setUint32(0, Math.floor(json.length / TWO_POW_32), false);
  view.setUint32(4, json.length % TWO_POW_32, false);
  body.set(json, 8);
  if (payload) body.set(payload, 8 + json.length);
  return body;
}

export type UnpackResult = { ok: true; header: JsonObject; payload: Uint8Array } | { ok: false; reason: string };

export function unpackMessage(body: Uint8Array): UnpackResult {
  if (body.length < 8) {
    return { ok: false, reason: `body of ${body.length} bytes is shorter than its 8-byte length prefix` };
  }
  const view = viewOf(body);
  const jsonLength = view.getUint32(0, false) * TWO_POW_32 + view.getUint32(4, false);
  if (jsonLength > body.length - 8) {
    return { ok: false, reason: `declared JSON length ${jsonLength} exceeds the ${body.length - 8} bytes available` };
  }
  let header: unknown;
  try {
    header = JSON.parse(strictUtf8.decode(body.subarray(8, 8 + jsonLength)));
  } catch {
    return { ok: false, reason: "header is not valid UTF-8 JSON" };
  }
  if (typeof header !== "object" || header === null || Array.isArray(header)) {
    return { ok: false, reason: "header is not a JSON object" };
  }
  return { ok: true, header: header as JsonObject, payload: body.subarray(8 + jsonLength) };
}
