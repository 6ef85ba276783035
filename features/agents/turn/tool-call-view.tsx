"use client";

import { Button } from "@/components/ui/button";
import type { ToolCallItem } from "@/features/agents/turn/turn-state";
import type { ToolResult } from "@/lib/shared/agent-turn/content";
import { cn } from "@/lib/cn";

const MAX_SHOWN = 4000;
const shown = (text: string) => (text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN)}…` : text);

function resultText(result: ToolResult | undefined): string | null {
  if (!result) return null;
  switch (result.type) {
    case "json":
      try {
        return JSON.stringify(result.json, null, 2) ?? null;
      } catch {
        return null;
      }
    case "text":
    case "error":
      return result.text;
    case "link":
      return `${result.name}: ${result.url}`;
    case "file":
      return `file ${result.name}`;
    case "empty":
      return null;
    default:
      return "(a result this page cannot show)";
  }
}

function stateLabel(item: ToolCallItem): string {
  if (item.approval === "requested") return "Waiting for your approval";
  if (item.state === "pending") return "Pending";
  if (item.state === "running") return "Running";
  if (item.error || item.result?.type === "error") return "Failed";
  if (item.approval === "rejected") return "Rejected";
  return "Done";
}

/**
 * A tool call in a turn: name, arguments, log lines, result or error. Open
 * while pending or running, collapsed once it ends. An approval request shows
 * Approve and Reject.
 */
export function ToolCallView({ item, onDecide }: { item: ToolCallItem; onDecide: (approve: boolean) => void }) {
  const ended = item.state === "ended" && item.approval !== "requested";
  const result = resultText(item.result);
  const error = item.error ?? (item.result?.type === "error" ? item.result.text : null);
  const name = [item.toolkit, item.tool].filter(Boolean).join(" › ") || "a tool";
  return (
    <details
      data-testid="tool-call"
      data-state={item.state}
      data-tool={item.tool}
      open={!ended}
      className="w-full max-w-[85%] rounded-lg border border-zinc-200 text-xs dark:border-zinc-700"
    >
      <summary className="cursor-pointer px-3 py-1.5 font-medium focus-visible:outline-2 focus-visible:outline-blue-500">
        <span className="font-mono">{name}</span>{" "}
        <span
          data-testid="tool-call-state"
          className={cn("ml-1 text-zinc-700 dark:text-zinc-300", error && "text-red-700 dark:text-red-300")}
        >
          {stateLabel(item)}
        </span>
      </summary>
      <div className="space-y-2 border-t border-zinc-200 px-3 py-2 dark:border-zinc-700">
        {item.args ? (
          <div>
            <p className="font-medium">Arguments</p>
            <pre className="max-h-40 overflow-auto rounded bg-zinc-100 p-2 whitespace-pre-wrap break-all dark:bg-zinc-800">
              {shown(item.args)}
            </pre>
          </div>
        ) : null}
        {item.logs.length > 0 ? (
          <div>
            <p className="font-medium">Log</p>
            <pre
              data-testid="tool-call-log"
              className="max-h-40 overflow-auto rounded bg-zinc-100 p-2 whitespace-pre-wrap break-all dark:bg-zinc-800"
            >
              {item.logs.map((line, index) => (
                <span key={index} className={cn("block", line.source === "stderr" && "text-red-700 dark:text-red-300")}>
                  {line.text}
                </span>
              ))}
            </pre>
          </div>
        ) : null}
        {error ? (
          <p className="text-red-700 dark:text-red-300">Error: {shown(error)}</p>
        ) : result !== null ? (
          <div>
            <p className="font-medium">Result</p>
            <pre className="max-h-40 overflow-auto rounded bg-zinc-100 p-2 whitespace-pre-wrap break-all dark:bg-zinc-800">
              {shown(result)}
            </pre>
          </div>
        ) : null}
        {item.approval === "requested" ? (
          <div className="flex items-center gap-2">
            <span>The agent asks before running this.</span>
            <Button className="h-8" onClick={() => onDecide(true)}>
              Approve
            </Button>
            <Button variant="secondary" className="h-8" onClick={() => onDecide(false)}>
              Reject
            </Button>
          </div>
        ) : item.approval ? (
          <p>{item.approval === "approved" ? "You approved this." : "You rejected this."}</p>
        ) : null}
      </div>
    </details>
  );
}
