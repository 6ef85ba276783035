// Toolkits that participants host in the room, as the SDK's RemoteToolkit
// (0.35.8) and startHostedToolkit (0.39.9) use them:
//   room.register_toolkit {name,title,description,tools,public,thumbnail_url} -> json {id}
//   room.unregister_toolkit {id} -> empty
//   room.list_toolkits {participant_id?,participant_name?,timeout?} -> json {tools:{<name>:{...}}}
//   room.invoke_tool {toolkit,tool,arguments,participant_id?,on_behalf_of_id?,caller_context?}
//     relayed to the host as the push room.tool_call.<toolkit>
//     {name,arguments,caller_id,tool_call_id,on_behalf_of_id?,caller_context?} (+ the arguments' payload);
//     the host answers room.tool_call_response under the push's id with a packed content,
//     which goes back to the caller as its __response__.
// Visibility: a public toolkit is listed and callable for everyone; a private
// one (public:false, the SDK's default) only in its owner's own plain listing,
// or when the caller names the owner (participant_id / participant_name), as
// MeshAgent's agents do to reach a browser's `ui` toolkit.
// Every failure answers the caller: the host leaving, a timeout, a bad answer.

import { randomUUID } from "node:crypto";
import { z } from "zod";
import { packMessage, unpackMessage, type JsonObject, type ProtocolMessage } from "./framing";
import type { Participant } from "./participant";
import type { RoomMembers } from "./messaging-toolkit";
import type { AgentsPermissions } from "./token";
import { ErrorCode, PARTICIPANT_NOT_FOUND, RequestError, emptyContent } from "./content";
import { DEFAULT_TOOL_CALL_TIMEOUT_MS, FORBIDDEN_ATTRIBUTE_KEYS, TOOLKIT_LIMITS } from "./room-limits";

export type ToolkitLimits = { -readonly [K in keyof typeof TOOLKIT_LIMITS]: number };

export interface ToolkitsOptions {
  /** Toolkit names the room serves itself (messaging, storage, sync): nobody may register them. */
  reserved: ReadonlySet<string>;
  toolCallTimeoutMs?: number;
  limits?: Partial<ToolkitLimits>;
  log: (line: string) => void;
}

/** Request types handled here (room.invoke_tool comes through `invoke`). */
export const TOOLKIT_REQUESTS: ReadonlySet<string> = new Set([
  "room.register_toolkit",
  "room.unregister_toolkit",
  "room.list_toolkits",
  "room.call",
]);

/** The host's answer to a relayed call: not a request, so it never gets a response. */
export const TOOL_CALL_RESPONSE = "room.tool_call_response";

// Names end up in the message type room.tool_call.<name>, which has a 256-byte cap.
const NAME = /^[A-Za-z0-9_][A-Za-z0-9_.:-]{0,127}$/;
/** What the SDK's ToolContentSpec accepts; anything else makes every lister's listToolkits() throw. */
const SPEC_TYPES = ["json", "text", "file", "link", "empty"] as const;
/** Contents a call may carry as arguments (control = streamed input, not relayed). */
const ARGUMENT_TYPES = new Set(["json", "text", "empty", "file", "link", "binary"]);

// Toolkit and tool names become keys of plain objects in listings (here and in every client).
const name = (pattern: RegExp, message: string) =>
  z
    .string()
    .regex(pattern, message)
    .refine((value) => !FORBIDDEN_ATTRIBUTE_KEYS.has(value), "__proto__, constructor and prototype are not names");

const contentSpec = z
  .looseObject({
    types: z.array(z.enum(SPEC_TYPES)).min(1),
    stream: z.boolean().optional(),
    schema: z.record(z.string(), z.unknown()).optional(),
  })
  .nullish();

const toolDescription = z.looseObject({
  title: z.string().nullish(),
  description: z.string().nullish(),
  input_spec: contentSpec,
  output_spec: contentSpec,
  thumbnail_url: z.string().nullish(),
});

const registration = z.object({
  name: name(NAME, "letters, digits, _ . : - (at most 128, not starting with a punctuation mark)"),
  title: z.string().nullish(),
  description: z.string().nullish(),
  thumbnail_url: z.string().nullish(),
  public: z.boolean().nullish(),
  tools: z.record(name(NAME, "tool names: letters, digits, _ . : - (at most 128)"), toolDescription),
});

/** A host's answer, by content type: what the SDK's unpackContent needs so the caller's promise settles. */
const answer = z.discriminatedUnion("type", [
  z.looseObject({ type: z.literal("json"), json: z.unknown() }),
  z.looseObject({ type: z.literal("text"), text: z.string() }),
  z.looseObject({ type: z.literal("empty") }),
  z.looseObject({ type: z.literal("error"), text: z.string(), code: z.number().int().optional() }),
  z.looseObject({ type: z.literal("file"), name: z.string(), mime_type: z.string() }),
  z.looseObject({ type: z.literal("link"), url: z.string(), name: z.string().nullish() }),
  z.looseObject({ type: z.literal("binary"), headers: z.record(z.string(), z.unknown()).optional() }),
]);

interface Registration {
  id: string;
  name: string;
  owner: Participant;
  isPublic: boolean;
  /** Order of registration: the oldest public toolkit of a name wins. */
  seq: number;
  /** The listing entry, minus participant_id. */
  entry: JsonObject;
  tools: ReadonlySet<string>;
}

interface PendingCall {
  caller: Participant;
  requestId: number;
  host: Participant;
  pushId: number;
  label: string;
  timer: NodeJS.Timeout;
}

export class RoomToolkits {
  private readonly permissions = new WeakMap<Participant, AgentsPermissions | null>();
  private readonly registered = new Map<Participant, Registration[]>();
  private readonly registerTimes = new Map<Participant, number[]>();
  /** Calls waiting on a host, by the id of the room.tool_call push the host answers under. */
  private readonly hosting = new Map<Participant, Map<number, PendingCall>>();
  private readonly calling = new Map<Participant, Set<PendingCall>>();
  private readonly limits: ToolkitLimits;
  private readonly timeoutMs: number;
  private seq = 0;

  constructor(private readonly opts: ToolkitsOptions) {
    this.limits = { ...TOOLKIT_LIMITS, ...opts.limits };
    this.timeoutMs = opts.toolCallTimeoutMs ?? DEFAULT_TOOL_CALL_TIMEOUT_MS;
    if (!Number.isSafeInteger(this.timeoutMs) || this.timeoutMs < 1) {
      throw new RangeError(`toolCallTimeoutMs must be a positive integer, got ${this.timeoutMs}`);
    }
  }

  joined(participant: Participant, permissions: AgentsPermissions | null): void {
    this.permissions.set(participant, permissions);
  }

  /** Registrations end with their participant; its callers get an error now, not at the timeout. */
  left(participant: Participant): void {
    this.registered.delete(participant);
    this.registerTimes.delete(participant);
    const hosted = this.hosting.get(participant);
    this.hosting.delete(participant);
    for (const call of hosted?.values() ?? []) {
      this.settle(call);
      call.caller.respondError(
        call.requestId,
        `the participant hosting ${call.label} left before answering`,
        ErrorCode.OPERATION_FAILED,
      );
    }
    for (const call of this.calling.get(participant) ?? []) this.settle(call);
    this.calling.delete(participant);
  }

  /** One of TOOLKIT_REQUESTS. A RequestError thrown here becomes the error response. */
  handle(members: RoomMembers, participant: Participant, message: ProtocolMessage): void {
    const request = requestOf(message);
    switch (message.type) {
      case "room.register_toolkit":
        participant.respond(message.id, { type: "json", json: { id: this.register(participant, request) } });
        return;
      case "room.unregister_toolkit":
        this.unregister(participant, request);
        participant.respond(message.id, emptyContent());
        return;
      case "room.list_toolkits":
        participant.respond(message.id, { type: "json", json: { tools: this.list(members, participant, request) } });
        return;
      case "room.call":
        this.require(participant, "call", "call");
        // The cloud room POSTs a call webhook to `url` so a webhook-hosted agent joins; the local room has no such agents.
        throw new RequestError(
          "room.call is not supported by the local room: start the agent yourself and connect it with its own token",
          ErrorCode.OPERATION_FAILED,
        );
      default:
        throw new RequestError(`unsupported request: ${message.type}`, ErrorCode.NOT_FOUND);
    }
  }

  private require(
    participant: Participant,
    flag: Exclude<keyof AgentsPermissions, "allowedToolkits">,
    grant: string,
  ): AgentsPermissions {
    const permissions = this.permissions.get(participant) ?? null;
    if (permissions === null) {
      throw new RequestError(
        `permission denied: the token grants no agents access (api.agents), so not agents.${grant}`,
        ErrorCode.PERMISSION_DENIED,
      );
    }
    if (!permissions[flag]) {
      throw new RequestError(
        `permission denied: the token does not grant agents.${grant}`,
        ErrorCode.PERMISSION_DENIED,
      );
    }
    return permissions;
  }

  private register(owner: Participant, request: JsonObject): string {
    const now = Date.now();
    const recent = (this.registerTimes.get(owner) ?? []).filter((t) => now - t < 60_000);
    this.registerTimes.set(owner, recent);
    // Requests refused here are not recorded, so a flood holds at most the limit's worth of timestamps.
    if (recent.length >= this.limits.maxRegistrationsPerMinute) {
      throw new RequestError(
        `too many toolkit registrations (limit ${this.limits.maxRegistrationsPerMinute} per minute)`,
        ErrorCode.OPERATION_FAILED,
      );
    }
    recent.push(now);
    // Checked before parsing so a huge registration costs no more than its measurement.
    const bytes = Buffer.byteLength(JSON.stringify(request));
    if (bytes > this.limits.maxToolkitBytes) {
      throw new RequestError(
        `toolkit description too large: ${bytes} bytes (limit ${this.limits.maxToolkitBytes})`,
        ErrorCode.INVALID_REQUEST,
      );
    }
    // Any participant_id in the request is ignored: a toolkit is always registered by, and hosted on, its sender.
    const parsed = registration.safeParse(request);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new RequestError(
        `invalid toolkit: ${issue.path.join(".") || "request"}: ${issue.message}`,
        ErrorCode.INVALID_REQUEST,
      );
    }
    const { name, tools } = parsed.data;
    const isPublic = parsed.data.public === true;
    this.require(
      owner,
      isPublic ? "registerPublicToolkit" : "registerPrivateToolkit",
      isPublic ? "register_public_toolkit" : "register_private_toolkit",
    );
    if (this.opts.reserved.has(name)) {
      throw new RequestError(`toolkit name ${name} is reserved by the room`, ErrorCode.INVALID_REQUEST);
    }
    const toolNames = Object.keys(tools);
    if (toolNames.length > this.limits.maxToolsPerToolkit) {
      throw new RequestError(
        `too many tools in toolkit ${name}: ${toolNames.length} (limit ${this.limits.maxToolsPerToolkit})`,
        ErrorCode.INVALID_REQUEST,
      );
    }
    const mine = this.registered.get(owner) ?? [];
    // One handler per name on the host side (room.tool_call.<name>), so one registration per name.
    if (mine.some((r) => r.name === name)) {
      throw new RequestError(
        `toolkit ${name} is already registered by this participant; unregister it first`,
        ErrorCode.ALREADY_EXISTS,
      );
    }
    if (mine.length >= this.limits.maxToolkitsPerParticipant) {
      throw new RequestError(
        `too many toolkits registered by this participant (limit ${this.limits.maxToolkitsPerParticipant})`,
        ErrorCode.OPERATION_FAILED,
      );
    }
    const id = randomUUID();
    const entry: JsonObject = {
      title: parsed.data.title ?? name,
      description: parsed.data.description ?? "",
      thumbnail_url: parsed.data.thumbnail_url ?? null,
      tools: (request.tools ?? {}) as JsonObject,
    };
    mine.push({ id, name, owner, isPublic, seq: this.seq++, entry, tools: new Set(toolNames) });
    this.registered.set(owner, mine);
    this.opts.log(`room ${owner.room}: ${owner.id} registered ${isPublic ? "public" : "private"} toolkit ${name}`);
    return id;
  }

  private unregister(owner: Participant, request: JsonObject): void {
    const { id } = request;
    const mine = this.registered.get(owner) ?? [];
    const index = typeof id === "string" ? mine.findIndex((r) => r.id === id) : -1;
    // Someone else's registration id is "not found" too: ids are not a way to probe others.
    if (index === -1) throw new RequestError(`toolkit registration not found: ${String(id)}`, ErrorCode.NOT_FOUND);
    mine.splice(index, 1);
    if (mine.length === 0) this.registered.delete(owner);
  }

  private list(members: RoomMembers, caller: Participant, request: JsonObject): JsonObject {
    const permissions = this.require(caller, "useTools", "use_tools");
    const target = this.targetOf(members, request);
    const visible: Registration[] = [];
    if (target !== undefined) {
      visible.push(...(this.registered.get(target) ?? []));
    } else {
      for (const member of members.participants()) {
        for (const r of this.registered.get(member) ?? []) if (r.isPublic || member === caller) visible.push(r);
      }
    }
    // Keyed by name: the caller's own toolkit first, then the oldest, the same one invoke_tool reaches.
    visible.sort((a, b) => Number(b.owner === caller) - Number(a.owner === caller) || a.seq - b.seq);
    const tools: JsonObject = {};
    for (const r of visible) {
      if (Object.hasOwn(tools, r.name) || !allowed(permissions, r.name)) continue;
      tools[r.name] = { ...r.entry, participant_id: r.owner.id };
    }
    return tools;
  }

  /** The participant a request names with participant_id or participant_name; undefined when it names none. */
  private targetOf(members: RoomMembers, request: JsonObject): Participant | undefined {
    const { participant_id: id, participant_name: name } = request;
    if (id !== undefined && id !== null) {
      const found = typeof id === "string" ? members.find(id) : undefined;
      if (found === undefined) throw new RequestError(PARTICIPANT_NOT_FOUND, ErrorCode.NOT_FOUND);
      return found;
    }
    if (name !== undefined && name !== null) {
      for (const member of members.participants()) if (member.name === name) return member;
      throw new RequestError(PARTICIPANT_NOT_FOUND, ErrorCode.NOT_FOUND);
    }
    return undefined;
  }

  /** room.invoke_tool for a toolkit no room service serves. */
  invoke(members: RoomMembers, caller: Participant, requestId: number, request: JsonObject, payload: Uint8Array): void {
    const toolkit = String(request.toolkit);
    const tool = String(request.tool);
    const label = `${toolkit}.${tool}`;
    const permissions = this.require(caller, "useTools", "use_tools");
    if (!allowed(permissions, toolkit)) {
      throw new RequestError(
        `permission denied: the token's agents.allowed_toolkits does not include ${toolkit}`,
        ErrorCode.PERMISSION_DENIED,
      );
    }
    const registration = this.resolve(members, caller, toolkit, request);
    if (!registration.tools.has(tool)) throw new RequestError(`tool not found: ${label}`, ErrorCode.NOT_FOUND);

    const rawArgs = request.arguments ?? emptyContent();
    if (typeof rawArgs !== "object" || rawArgs === null || Array.isArray(rawArgs)) {
      throw new RequestError("invalid arguments: expected a content header with a type", ErrorCode.INVALID_REQUEST);
    }
    const args = rawArgs as JsonObject;
    if (typeof args.type !== "string" || !ARGUMENT_TYPES.has(args.type)) {
      throw new RequestError(
        `invalid arguments: ${String(args.type)} content cannot be relayed to a participant's toolkit` +
          (args.type === "control" ? " (streamed tool calls to participant toolkits are not supported)" : ""),
        ErrorCode.INVALID_REQUEST,
      );
    }
    const { on_behalf_of_id: onBehalfOf, caller_context: callerContext } = request;
    if (onBehalfOf !== undefined && onBehalfOf !== null) {
      if (typeof onBehalfOf !== "string" || members.find(onBehalfOf) === undefined) {
        throw new RequestError(
          "invalid request: on_behalf_of_id names no participant in the room",
          ErrorCode.INVALID_REQUEST,
        );
      }
    }
    if (
      callerContext !== undefined &&
      callerContext !== null &&
      (typeof callerContext !== "object" || Array.isArray(callerContext))
    ) {
      throw new RequestError("invalid request: caller_context must be an object", ErrorCode.INVALID_REQUEST);
    }
    const argumentBytes =
      Buffer.byteLength(JSON.stringify(args)) +
      (callerContext ? Buffer.byteLength(JSON.stringify(callerContext)) : 0) +
      payload.length;
    if (argumentBytes > this.limits.maxArgumentBytes) {
      throw new RequestError(
        `arguments too large: ${argumentBytes} bytes (limit ${this.limits.maxArgumentBytes})`,
        ErrorCode.INVALID_REQUEST,
      );
    }
    const host = registration.owner;
    const outgoing = this.calling.get(caller) ?? new Set<PendingCall>();
    if (outgoing.size >= this.limits.maxCallsInFlightPerCaller) {
      throw new RequestError(
        `too many tool calls in flight (limit ${this.limits.maxCallsInFlightPerCaller} per caller)`,
        ErrorCode.OPERATION_FAILED,
      );
    }
    const waiting = this.hosting.get(host) ?? new Map<number, PendingCall>();
    if (waiting.size >= this.limits.maxCallsInFlightPerHost) {
      throw new RequestError(
        `the host of ${toolkit} has too many tool calls in flight (limit ${this.limits.maxCallsInFlightPerHost})`,
        ErrorCode.OPERATION_FAILED,
      );
    }

    const header: JsonObject = { name: tool, arguments: args, caller_id: caller.id, tool_call_id: randomUUID() };
    if (typeof onBehalfOf === "string") header.on_behalf_of_id = onBehalfOf;
    if (callerContext) header.caller_context = callerContext;
    // Copied: the request's bytes belong to the reassembler's buffer.
    const pushId = host.push(`room.tool_call.${toolkit}`, header, payload.length > 0 ? payload.slice() : undefined);
    const call: PendingCall = {
      caller,
      requestId,
      host,
      pushId,
      label,
      timer: setTimeout(() => {
        this.settle(call);
        caller.respondError(
          requestId,
          `the participant hosting ${label} did not answer within ${this.timeoutMs} ms (DEV_ROOM_TOOL_CALL_TIMEOUT_MS)`,
          ErrorCode.TIMEOUT,
        );
      }, this.timeoutMs),
    };
    call.timer.unref();
    outgoing.add(call);
    this.calling.set(caller, outgoing);
    waiting.set(pushId, call);
    this.hosting.set(host, waiting);
  }

  private resolve(members: RoomMembers, caller: Participant, toolkit: string, request: JsonObject): Registration {
    const target = this.targetOf(members, request);
    if (target !== undefined) {
      // Naming the host reaches its private toolkits too (how an agent reaches a browser's `ui`).
      const found = this.registered.get(target)?.find((r) => r.name === toolkit);
      if (found) return found;
      throw new RequestError(`toolkit not found: ${toolkit} on participant ${target.id}`, ErrorCode.NOT_FOUND);
    }
    const own = this.registered.get(caller)?.find((r) => r.name === toolkit);
    if (own) return own;
    let oldest: Registration | undefined;
    for (const member of members.participants()) {
      for (const r of this.registered.get(member) ?? []) {
        if (r.name === toolkit && r.isPublic && (oldest === undefined || r.seq < oldest.seq)) oldest = r;
      }
    }
    // Same text whether or not someone has a private toolkit of that name: no probing.
    if (oldest === undefined) throw new RequestError(`toolkit not found: ${toolkit}`, ErrorCode.NOT_FOUND);
    return oldest;
  }

  /** room.tool_call_response from a host. Never answered; anything unexpected is logged and dropped. */
  answer(host: Participant, message: ProtocolMessage): void {
    const call = this.hosting.get(host)?.get(message.id);
    if (call === undefined) {
      this.opts.log(
        `room ${host.room}: ${host.id} answered tool call ${message.id}, which is not waiting (late or unknown)`,
      );
      return;
    }
    this.settle(call);
    const unpacked = unpackMessage(message.data);
    const parsed = unpacked.ok ? answer.safeParse(unpacked.header) : null;
    if (!unpacked.ok || parsed === null || !parsed.success) {
      const why = unpacked.ok ? (parsed?.error?.issues[0]?.message ?? "invalid") : unpacked.reason;
      this.opts.log(`room ${host.room}: invalid answer from ${host.id} to ${call.label}: ${why}`);
      call.caller.respondError(
        call.requestId,
        `the participant hosting ${call.label} sent an invalid result`,
        ErrorCode.OPERATION_FAILED,
      );
      return;
    }
    const { __meshagent__: _meta, ...content } = unpacked.header;
    const payload = unpacked.payload.length > 0 ? unpacked.payload : undefined;
    call.caller.respondPacked(call.requestId, packMessage(content, payload));
  }

  /** A host's answer that could not even be reassembled (too large, broken framing): fail its call now. */
  unreadableAnswer(host: Participant, id: number, why: string): void {
    const call = this.hosting.get(host)?.get(id);
    if (call === undefined) return;
    this.settle(call);
    call.caller.respondError(
      call.requestId,
      `the participant hosting ${call.label} sent an unreadable result (${why})`,
      ErrorCode.OPERATION_FAILED,
    );
  }

  private settle(call: PendingCall): void {
    clearTimeout(call.timer);
    const waiting = this.hosting.get(call.host);
    if (waiting?.get(call.pushId) === call) waiting.delete(call.pushId);
    if (waiting?.size === 0) this.hosting.delete(call.host);
    const outgoing = this.calling.get(call.caller);
    outgoing?.delete(call);
    if (outgoing?.size === 0) this.calling.delete(call.caller);
  }

  /** Counters for /usage and tests: registrations and calls held right now. */
  usage(): { toolkits: number; callsInFlight: number } {
    let toolkits = 0;
    for (const list of this.registered.values()) toolkits += list.length;
    let callsInFlight = 0;
    for (const waiting of this.hosting.values()) callsInFlight += waiting.size;
    return { toolkits, callsInFlight };
  }
}

function allowed(permissions: AgentsPermissions, toolkit: string): boolean {
  return permissions.allowedToolkits === null || permissions.allowedToolkits.includes(toolkit);
}

function requestOf(message: ProtocolMessage): JsonObject {
  const unpacked = unpackMessage(message.data);
  if (!unpacked.ok) throw new RequestError(`invalid request: ${unpacked.reason}`, ErrorCode.INVALID_REQUEST);
  return unpacked.header;
}
