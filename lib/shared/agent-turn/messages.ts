// Every turn-protocol payload the app or the demo agent sends or renders, as
// zod/mini schemas (see ../../../../shared/meshagent-agent-turn-protocol.md
// §1.3 for the wire contract, MeshAgent's messages.py for the models). Unknown
// keys are dropped when parsing, so extra fields (provider, model, metadata)
// never reach the app; types this module does not know parse to null.

import * as z from "zod/mini";
import { inputContentListSchema, toolContentSchema, toolResultSchema } from "./content";
import {
  agentError,
  boundedObject,
  cappedArray,
  count,
  id,
  name,
  nonEmpty,
  opt,
  str,
  threadId,
  timestamp,
} from "./fields";
import { TURN_LIMITS as L } from "./limits";

/** Every wire type starts with this. */
export const AGENT_MESSAGE_TYPE_PREFIX = "meshagent.agent.";

/** The fields every message may carry, whichever way it goes. */
function message<T extends string, S extends z.core.$ZodLooseShape>(type: T, shape: S) {
  return z.object({
    type: z.literal(`${AGENT_MESSAGE_TYPE_PREFIX}${type}` as `meshagent.agent.${T}`),
    // Client-chosen on requests, agent-chosen on events; MeshAgent mints a uuid when absent.
    message_id: opt(id),
    created_at: opt(timestamp),
    ...shape,
  });
}

const phase = opt(z.enum(["commentary", "final_answer"]));
const senderName = opt(name);

/** A tool the client offers for one turn (MeshAgent ClientToolkitDescription). */
const clientToolSchema = z.object({
  name: nonEmpty(L.name),
  title: opt(str(L.name)),
  description: opt(str(L.description)),
  input_schema: boundedObject(),
});
export type ClientTool = z.infer<typeof clientToolSchema>;

/** What thread.start and turn.start share: how the turn should run. */
const turnOptions = {
  provider: opt(name),
  model: opt(name),
  instructions: opt(str(L.inputText)),
  client_toolkits: opt(cappedArray(clientToolSchema, L.clientTools)),
  // toolkit name → {client_options}: options for toolkits the agent already has (§1.7).
  toolkits: opt(boundedObject()),
  tool_choice: opt(z.object({ toolkit_name: name, tool_name: name })),
};

/** One entry of the thread list. */
const threadEntrySchema = z.object({
  path: threadId,
  name: z.catch(str(L.name), ""),
  created_at: z.catch(timestamp, ""),
  modified_at: z.catch(timestamp, ""),
});
export type ThreadEntry = z.infer<typeof threadEntrySchema>;

// ---- client → agent -------------------------------------------------------

export const clientRequestSchema = z.discriminatedUnion("type", [
  message("thread.start", {
    content: opt(inputContentListSchema),
    name: opt(name),
    ...turnOptions,
  }),
  message("turn.start", {
    thread_id: threadId,
    turn_id: opt(id),
    content: inputContentListSchema,
    ...turnOptions,
  }),
  message("turn.steer", { thread_id: threadId, turn_id: id, content: inputContentListSchema }),
  message("turn.interrupt", { thread_id: threadId, turn_id: id }),
  message("thread.open", { thread_id: threadId, load: opt(z.boolean()), since_turn: opt(id) }),
  message("thread.close", { thread_id: threadId }),
  message("thread.clear", { thread_id: threadId }),
  message("thread.delete", { thread_id: threadId }),
  message("thread.rename", { thread_id: threadId, name: nonEmpty(L.name) }),
  message("thread.list", {
    limit: opt(z.int().check(z.gte(1), z.lte(L.listPage))),
    offset: opt(count),
  }),
  message("thread.watch", {}),
  message("thread.unwatch", {}),
  message("capabilities_request", { thread_id: opt(threadId) }),
  message("tool_call.approve", { thread_id: threadId, turn_id: id, item_id: id }),
  message("tool_call.reject", { thread_id: threadId, turn_id: id, item_id: id }),
  message("client_tool_call.response", {
    thread_id: threadId,
    turn_id: id,
    request_id: id,
    response: toolContentSchema,
  }),
]);
export type ClientRequest = z.infer<typeof clientRequestSchema>;
export type ClientRequestType = ClientRequest["type"];

// ---- agent → client -------------------------------------------------------

const turnEvent = { thread_id: threadId, turn_id: id };
const itemEvent = { ...turnEvent, item_id: id };
const toolCallHeader = {
  ...itemEvent,
  namespace: opt(name),
  call_id: opt(id),
  toolkit: name,
  tool: name,
  arguments: opt(boundedObject()),
  argument_bytes: opt(count),
};

export const agentEventSchema = z.discriminatedUnion("type", [
  // threads
  message("thread.started", { source_message_id: id, thread_id: threadId }),
  message("thread.loaded", { thread_id: threadId, source_message_id: opt(id), since_turn: opt(id) }),
  message("thread.listed", {
    source_message_id: id,
    threads: cappedArray(threadEntrySchema, L.threadsListed),
    total: z.catch(count, 0),
    offset: z.catch(count, 0),
    limit: z.catch(count, L.listPage),
  }),
  message("thread.created", { thread: threadEntrySchema }),
  message("thread.updated", { thread: threadEntrySchema }),
  message("thread.deleted", { path: threadId }),
  message("thread.cleared", { thread_id: threadId, source_message_id: opt(id) }),
  message("thread.status", {
    thread_id: threadId,
    // absent = idle
    status: opt(str(L.statusText)),
    mode: opt(z.enum(["busy", "steerable"])),
    started_at: opt(timestamp),
    turn_id: opt(id),
    pending_item_id: opt(id),
  }),
  // turns
  message("turn.start.accepted", {
    // "" when the thread could not be created
    thread_id: str(L.threadId),
    turn_id: opt(id),
    source_message_id: id,
    content: z.optional(inputContentListSchema),
    sender_name: senderName,
  }),
  message("turn.start.rejected", { thread_id: str(L.threadId), source_message_id: id, error: agentError }),
  message("turn.started", {
    ...turnEvent,
    source_message_id: opt(id),
    content: z.optional(inputContentListSchema),
    sender_name: senderName,
  }),
  message("turn.steer.accepted", {
    ...turnEvent,
    source_message_id: id,
    content: z.optional(inputContentListSchema),
    sender_name: senderName,
  }),
  message("turn.steered", {
    ...turnEvent,
    source_message_id: opt(id),
    content: z.optional(inputContentListSchema),
    sender_name: senderName,
  }),
  message("turn.steer.rejected", { ...turnEvent, source_message_id: id, error: agentError }),
  message("turn.interrupt.accepted", { ...turnEvent, source_message_id: id }),
  message("turn.interrupted", { ...turnEvent, source_message_id: opt(id) }),
  message("turn.ended", { ...turnEvent, error: opt(agentError) }),
  // streamed items
  message("text_content.started", { ...itemEvent, phase }),
  message("text_content.delta", { ...itemEvent, text: str(L.deltaText), phase, sender_name: senderName }),
  message("text_content.ended", { ...itemEvent, phase }),
  message("reasoning_content.started", itemEvent),
  message("reasoning_content.delta", { ...itemEvent, text: str(L.deltaText) }),
  message("reasoning_content.ended", itemEvent),
  message("file_content.started", itemEvent),
  message("file_content.delta", { ...itemEvent, url: nonEmpty(L.url), sender_name: senderName }),
  message("file_content.ended", itemEvent),
  // tools
  message("tool_call.pending", toolCallHeader),
  message("tool_call.in_progress", toolCallHeader),
  message("tool_call.started", toolCallHeader),
  message("tool_call.arguments_delta", { ...itemEvent, call_id: opt(id), delta: str(L.argumentsDelta) }),
  message("tool_call.log_delta", {
    ...itemEvent,
    call_id: opt(id),
    lines: cappedArray(z.object({ source: z.enum(["stdout", "stderr"]), text: str(L.logLineText) }), L.logLines),
  }),
  message("tool_call.ended", {
    ...itemEvent,
    call_id: opt(id),
    toolkit: opt(name),
    tool: opt(name),
    result: opt(toolResultSchema),
    error: opt(agentError),
  }),
  message("tool_call.approval_requested", {
    ...itemEvent,
    call_id: opt(id),
    toolkit: name,
    tool: name,
    arguments: opt(boundedObject()),
  }),
  message("client_tool_call.requested", {
    ...turnEvent,
    request_id: id,
    toolkit: name,
    tool: nonEmpty(L.name),
    arguments: z.catch(boundedObject(), {}),
    target_participant_id: opt(id),
  }),
  message("client_tool_call.cancelled", {
    ...turnEvent,
    request_id: id,
    toolkit: opt(name),
    tool: opt(name),
    reason: opt(str(L.code)),
    target_participant_id: opt(id),
  }),
  // usage, model, capabilities
  message("usage.updated", {
    thread_id: threadId,
    turn_id: opt(id),
    usage: z.catch(
      z
        .record(z.string().check(z.maxLength(L.name)), z.number())
        .check(z.refine((value) => Object.keys(value).length <= L.usageKeys)),
      {},
    ),
    context_window: opt(
      z.object({
        used_tokens: z.catch(count, 0),
        total_tokens: opt(count),
        compaction_mode: opt(str(L.code)),
        compaction_threshold: opt(count),
      }),
    ),
  }),
  message("model.changed", {
    thread_id: threadId,
    source_message_id: opt(id),
    provider: opt(name),
    model: opt(name),
  }),
  message("capabilities_response", {
    thread_id: opt(threadId),
    source_message_id: id,
    version: opt(str(L.code)),
    toolkits: cappedArray(
      z.object({
        name,
        title: opt(str(L.name)),
        description: opt(str(L.description)),
        hidden: opt(z.boolean()),
        tools: z.catch(
          cappedArray(
            z.object({ name, title: opt(str(L.name)), description: opt(str(L.description)) }),
            L.toolsPerToolkit,
          ),
          [],
        ),
      }),
      L.toolkits,
    ),
  }),
]);
export type AgentEvent = z.infer<typeof agentEventSchema>;
export type AgentEventType = AgentEvent["type"];

/** Any turn-protocol message, either direction. */
export type TurnMessage = ClientRequest | AgentEvent;
type TurnMessageType = TurnMessage["type"];
/** The message of one wire type: `TurnMessageOf<"meshagent.agent.turn.ended">`. */
export type TurnMessageOf<K extends TurnMessageType> = Extract<TurnMessage, { type: K }>;

/** Codes the demo agent (and MeshAgent) put in `error.code`. */
export const TURN_ERROR_CODES = {
  cancelled: "cancelled",
  turnNotInProgress: "turn_not_in_progress",
  turnOwnedByParticipant: "turn_owned_by_participant",
  turnEnded: "turn_ended",
  threadNotFound: "thread_not_found",
  invalidContent: "invalid_content",
  limitReached: "limit_reached",
} as const;

/** Why a client tool call was cancelled (client_tool_call.cancelled reason). */
export const CLIENT_TOOL_CANCEL_REASONS = {
  interrupted: "turn_interrupted",
  timeout: "timeout",
  participantLeft: "participant_disconnected",
} as const;
