// The seam for turn-protocol agent logic: a TurnBrain runs one turn and
// reports what it does through TurnOutput, which becomes the streamed events
// of the turn protocol (text deltas, tool calls, files, usage). The agent
// around it (turn-agent.ts) does the rest: threads, queueing, Stop, steering,
// isolation, persistence.

import type { InputContent, ToolContent } from "../../lib/shared/agent-turn/content";
import type { ChatTurn, RoomView } from "../brain/types";
import type { RoomFiles } from "./port";

export interface TextWriter {
  readonly itemId: string;
  write(delta: string): void;
  end(): void;
}

export interface ToolLogLine {
  source: "stdout" | "stderr";
  text: string;
}

export interface ToolCallWriter {
  readonly itemId: string;
  /** Execution begins (tool_call.started). */
  started(): void;
  log(lines: ToolLogLine[]): void;
  end(outcome: { result: ToolContent } | { error: string }): void;
}

export interface TurnOutput {
  /** The status line (thread.status); "steerable" while a steer can still change the answer. */
  status(text: string, mode?: "busy" | "steerable"): void;
  text(phase?: "commentary" | "final_answer"): TextWriter;
  reasoning(text: string): void;
  /** A file the answer points to (file_content), as `room:///path`. */
  file(url: string): void;
  usage(usage: { inputTokens?: number; outputTokens?: number; totalTokens?: number }): void;
  /** A tool call item (tool_call.pending); arguments are shown to the person. */
  toolCall(toolkit: string, tool: string, args: Record<string, unknown>): ToolCallWriter;
  /** Asks the person to approve a call (tool_call.approval_requested); false when rejected, timed out or stopped. */
  approval(call: ToolCallWriter, toolkit: string, tool: string, args: Record<string, unknown>): Promise<boolean>;
  /**
   * Calls a tool the sender offered in `client_toolkits` (client_tool_call.requested to the
   * sender only) and resolves with its answer; rejects when it was not offered, or on
   * timeout, Stop, or the sender leaving.
   */
  clientTool(tool: string, args: Record<string, unknown>): Promise<ToolContent>;
}

export interface TurnRun {
  readonly input: readonly InputContent[];
  /** The text items of the input, joined. */
  readonly text: string;
  /** Earlier turns of this thread, oldest first, bounded; without this one. */
  readonly history: readonly ChatTurn[];
  readonly userName: string;
  readonly room: RoomView;
  /** Room storage as the agent's token allows. */
  readonly files: RoomFiles;
  /** Names of the client tools the sender offered for this turn. */
  readonly clientTools: readonly string[];
  /** Aborted by Stop (turn.interrupt), thread deletion or the agent stopping. */
  readonly signal: AbortSignal;
  readonly out: TurnOutput;
  /** Steers that arrived since the last call; each is reported as applied (turn.steered). */
  takeSteers(): string[];
  /** Resolves at the next steer (or never); for brains that wait. */
  nextSteer(): Promise<void>;
}

export interface TurnBrain {
  readonly description: string;
  run(turn: TurnRun): Promise<void>;
}
