// One running turn's output: what a TurnBrain reports becomes the turn
// protocol's streamed events, with MeshAgent's item ids and the caps that keep
// a runaway brain (or model) from flooding the room or the thread's storage.

import { randomUUID } from "node:crypto";
import { buildAgentEvent } from "../../lib/shared/agent-turn/build";
import type { InputContent, ToolContent } from "../../lib/shared/agent-turn/content";
import { TURN_LIMITS } from "../../lib/shared/agent-turn/limits";
import { CLIENT_TOOL_CANCEL_REASONS, type AgentEvent, type ClientTool } from "../../lib/shared/agent-turn/messages";
import type { TextWriter, ToolCallWriter, ToolLogLine, TurnOutput } from "./brain";

/** Why a turn stopped before its brain finished. */
export class TurnStopped extends Error {
  constructor(
    readonly reason: "interrupted" | "deleted" | "stopping" | "too_long",
    readonly sourceMessageId?: string,
  ) {
    super(`turn stopped: ${reason}`);
    this.name = "TurnStopped";
  }
}

export interface TurnLimits {
  /** Characters of answer text per turn; the rest is cut. Default 200 000. */
  maxTurnText?: number;
  /** Events per turn; past it the turn ends with an error. Default 5000. */
  maxTurnEvents?: number;
  /** How long a client tool may take to answer. Default 300 s (MeshAgent's). */
  clientToolTimeoutMs?: number;
  /** How long an approval may wait. Default 300 s. */
  approvalTimeoutMs?: number;
}

interface ClientCall {
  participantId: string;
  tool: string;
  resolve(content: ToolContent): void;
  reject(error: Error): void;
}

export interface ActiveTurn {
  readonly threadId: string;
  readonly turnId: string;
  readonly senderId: string;
  readonly senderName: string;
  readonly content: InputContent[];
  readonly sourceMessageId: string;
  readonly clientTools: ClientTool[];
  readonly controller: AbortController;
  readonly startedAt: string;
  status: { text: string; mode: "busy" | "steerable" };
  readonly steers: { content: InputContent[]; sourceMessageId: string; senderName: string }[];
  steerWaiters: (() => void)[];
  readonly clientCalls: Map<string, ClientCall>;
  readonly approvals: Map<string, (approved: boolean) => void>;
}

type Emit = (event: AgentEvent, options?: { store?: boolean; to?: string }) => void;

export class TurnOutputImpl implements TurnOutput {
  private events = 0;
  private textChars = 0;
  private cut = false;
  private closing = false;
  private readonly openItems = new Map<string, () => void>();
  private readonly maxText: number;
  private readonly maxEvents: number;
  private readonly clientToolTimeoutMs: number;
  private readonly approvalTimeoutMs: number;

  constructor(
    private readonly turn: ActiveTurn,
    private readonly emitRaw: Emit,
    limits: TurnLimits = {},
  ) {
    this.maxText = limits.maxTurnText ?? 200_000;
    this.maxEvents = limits.maxTurnEvents ?? 5000;
    this.clientToolTimeoutMs = limits.clientToolTimeoutMs ?? 300_000;
    this.approvalTimeoutMs = limits.approvalTimeoutMs ?? 300_000;
  }

  private get ids() {
    return { thread_id: this.turn.threadId, turn_id: this.turn.turnId };
  }

  private emit(event: AgentEvent, options: { store?: boolean; to?: string } = { store: true }): void {
    // Once stopped, a brain that ignores its signal can say nothing more.
    if (this.turn.controller.signal.aborted && !this.closing) return;
    if (!this.closing && ++this.events > this.maxEvents) {
      this.turn.controller.abort(new TurnStopped("too_long"));
      return;
    }
    this.emitRaw(event, options);
  }

  status(text: string, mode: "busy" | "steerable" = "steerable"): void {
    this.turn.status = { text: text.slice(0, 80), mode };
    this.emit(
      buildAgentEvent("meshagent.agent.thread.status", {
        thread_id: this.turn.threadId,
        status: this.turn.status.text,
        mode,
        started_at: this.turn.startedAt,
        turn_id: this.turn.turnId,
      }),
      { store: false },
    );
  }

  text(phase: "commentary" | "final_answer" = "final_answer"): TextWriter {
    const itemId = `msg_${randomUUID()}`;
    let ended = false;
    this.emit(buildAgentEvent("meshagent.agent.text_content.started", { ...this.ids, item_id: itemId, phase }));
    const end = () => {
      if (ended) return;
      ended = true;
      this.openItems.delete(itemId);
      this.emit(buildAgentEvent("meshagent.agent.text_content.ended", { ...this.ids, item_id: itemId, phase }));
    };
    this.openItems.set(itemId, end);
    return {
      itemId,
      write: (delta: string) => {
        if (ended || delta === "") return;
        let text = delta;
        if (this.textChars + text.length > this.maxText) {
          if (this.cut) return;
          this.cut = true;
          text = `${text.slice(0, Math.max(0, this.maxText - this.textChars))}…`;
        }
        this.textChars += text.length;
        for (let i = 0; i < text.length; i += TURN_LIMITS.deltaText) {
          this.emit(
            buildAgentEvent("meshagent.agent.text_content.delta", {
              ...this.ids,
              item_id: itemId,
              text: text.slice(i, i + TURN_LIMITS.deltaText),
              phase,
            }),
          );
        }
      },
      end,
    };
  }

  reasoning(text: string): void {
    const item = { ...this.ids, item_id: `rs_${randomUUID()}` };
    this.emit(buildAgentEvent("meshagent.agent.reasoning_content.started", item));
    this.emit(
      buildAgentEvent("meshagent.agent.reasoning_content.delta", {
        ...item,
        text: text.slice(0, TURN_LIMITS.deltaText),
      }),
    );
    this.emit(buildAgentEvent("meshagent.agent.reasoning_content.ended", item));
  }

  file(url: string): void {
    const item = { ...this.ids, item_id: `file_${randomUUID()}` };
    this.emit(buildAgentEvent("meshagent.agent.file_content.started", item));
    this.emit(buildAgentEvent("meshagent.agent.file_content.delta", { ...item, url }));
    this.emit(buildAgentEvent("meshagent.agent.file_content.ended", item));
  }

  usage(usage: { inputTokens?: number; outputTokens?: number; totalTokens?: number }): void {
    const counts: Record<string, number> = {};
    if (usage.inputTokens !== undefined) counts.input_tokens = usage.inputTokens;
    if (usage.outputTokens !== undefined) counts.output_tokens = usage.outputTokens;
    const total = usage.totalTokens ?? (usage.inputTokens ?? 0) + (usage.outputTokens ?? 0);
    counts.total_tokens = total;
    this.emit(
      buildAgentEvent("meshagent.agent.usage.updated", {
        ...this.ids,
        usage: counts,
        context_window: { used_tokens: total },
      }),
    );
  }

  toolCall(toolkit: string, tool: string, args: Record<string, unknown>): ToolCallWriter {
    const header = {
      ...this.ids,
      item_id: `fc_${randomUUID()}`,
      namespace: "meshagent",
      call_id: `call_${randomUUID()}`,
      toolkit,
      tool,
    };
    let ended = false;
    this.emit(buildAgentEvent("meshagent.agent.tool_call.pending", { ...header, arguments: args }));
    const end = (outcome: { result: ToolContent } | { error: string }) => {
      if (ended) return;
      ended = true;
      this.openItems.delete(header.item_id);
      const { thread_id, turn_id, item_id, call_id } = header;
      this.emit(
        buildAgentEvent("meshagent.agent.tool_call.ended", {
          thread_id,
          turn_id,
          item_id,
          call_id,
          toolkit,
          tool,
          ...("error" in outcome
            ? { error: { message: outcome.error.slice(0, TURN_LIMITS.errorMessage) } }
            : { result: outcome.result }),
        }),
      );
    };
    this.openItems.set(header.item_id, () => end({ error: "stopped" }));
    return {
      itemId: header.item_id,
      started: () => {
        if (!ended) this.emit(buildAgentEvent("meshagent.agent.tool_call.started", { ...header, arguments: args }));
      },
      log: (lines: ToolLogLine[]) => {
        if (ended || lines.length === 0) return;
        const { thread_id, turn_id, item_id, call_id } = header;
        for (let i = 0; i < lines.length; i += TURN_LIMITS.logLines) {
          this.emit(
            buildAgentEvent("meshagent.agent.tool_call.log_delta", {
              thread_id,
              turn_id,
              item_id,
              call_id,
              lines: lines
                .slice(i, i + TURN_LIMITS.logLines)
                .map((line) => ({ source: line.source, text: line.text.slice(0, TURN_LIMITS.logLineText) })),
            }),
          );
        }
      },
      end,
    };
  }

  approval(call: ToolCallWriter, toolkit: string, tool: string, args: Record<string, unknown>): Promise<boolean> {
    const signal = this.turn.controller.signal;
    if (signal.aborted) return Promise.resolve(false);
    const previous = this.turn.status;
    this.emit(
      buildAgentEvent("meshagent.agent.tool_call.approval_requested", {
        ...this.ids,
        item_id: call.itemId,
        toolkit,
        tool,
        arguments: args,
      }),
    );
    this.status("Waiting for your approval", "busy");
    return new Promise<boolean>((resolve) => {
      const settle = (approved: boolean) => {
        clearTimeout(timer);
        signal.removeEventListener("abort", onAbort);
        this.turn.approvals.delete(call.itemId);
        if (!signal.aborted) this.status(previous.text, previous.mode);
        resolve(approved);
      };
      const onAbort = () => settle(false);
      const timer = setTimeout(() => settle(false), this.approvalTimeoutMs);
      signal.addEventListener("abort", onAbort, { once: true });
      this.turn.approvals.set(call.itemId, settle);
    });
  }

  clientTool(tool: string, args: Record<string, unknown>): Promise<ToolContent> {
    const signal = this.turn.controller.signal;
    if (!this.turn.clientTools.some((offered) => offered.name === tool)) {
      return Promise.reject(new Error(`the browser did not offer the tool "${tool}" for this turn`));
    }
    if (signal.aborted) return Promise.reject(signal.reason);
    const requestId = randomUUID();
    const target = this.turn.senderId;
    const cancelled = (reason: string) =>
      this.emitRaw(
        buildAgentEvent("meshagent.agent.client_tool_call.cancelled", {
          ...this.ids,
          request_id: requestId,
          toolkit: "client",
          tool,
          reason,
          target_participant_id: target,
        }),
        { store: false, to: target },
      );
    // Sent to the turn's sender only, and not stored: a history replay must never ask again.
    this.emit(
      buildAgentEvent("meshagent.agent.client_tool_call.requested", {
        ...this.ids,
        request_id: requestId,
        toolkit: "client",
        tool,
        arguments: args,
        target_participant_id: target,
      }),
      { store: false, to: target },
    );
    return new Promise<ToolContent>((resolve, reject) => {
      const finish = () => {
        clearTimeout(timer);
        signal.removeEventListener("abort", onAbort);
        this.turn.clientCalls.delete(requestId);
      };
      const onAbort = () => {
        finish();
        cancelled(CLIENT_TOOL_CANCEL_REASONS.interrupted);
        reject(signal.reason instanceof Error ? signal.reason : new Error("turn stopped"));
      };
      const timer = setTimeout(() => {
        finish();
        cancelled(CLIENT_TOOL_CANCEL_REASONS.timeout);
        reject(new Error(`the browser did not answer ${tool} in time`));
      }, this.clientToolTimeoutMs);
      signal.addEventListener("abort", onAbort, { once: true });
      this.turn.clientCalls.set(requestId, {
        participantId: target,
        tool,
        resolve: (content) => {
          finish();
          resolve(content);
        },
        reject: (error) => {
          finish();
          cancelled(CLIENT_TOOL_CANCEL_REASONS.participantLeft);
          reject(error);
        },
      });
    });
  }

  /** Ends every item the brain left open (text, tool calls): the stream must not dangle. */
  closeOpenItems(): void {
    this.closing = true;
    for (const end of [...this.openItems.values()]) end();
    this.closing = false;
  }
}
