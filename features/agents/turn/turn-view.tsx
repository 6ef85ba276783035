"use client";

import { memo } from "react";
import { ChatBubble, NotSent } from "@/components/ui/chat-bubble";
import { AgentReplyBubble } from "@/features/agents/agent-reply-bubble";
import { RoomFileLink } from "@/features/agents/turn/room-file-link";
import { ToolCallView } from "@/features/agents/turn/tool-call-view";
import type { Turn, TurnItem } from "@/features/agents/turn/turn-state";
import type { InputContent } from "@/lib/shared/agent-turn/content";
import { cn } from "@/lib/cn";

function InputView({ content, own, label }: { content: InputContent[]; own: boolean; label: string }) {
  const text = content.flatMap((item) => (item.type === "text" ? [item.text] : [])).join("\n");
  const files = content.flatMap((item) => (item.type === "file" ? [item] : []));
  return (
    <div
      data-testid="turn-input"
      data-own={own}
      className={cn("flex flex-col gap-1", own ? "items-end" : "items-start")}
    >
      <span className="text-xs text-zinc-700 dark:text-zinc-300">{label}</span>
      {text ? <ChatBubble own={own} text={text} /> : null}
      {files.map((file) => (
        <RoomFileLink key={file.url} url={file.url} label={file.name} />
      ))}
    </div>
  );
}

/**
 * One item of a turn. Memoized like the turn: while one item streams, the
 * turn's other items (up to 200, each up to 40,000 characters of markdown)
 * are not parsed again.
 */
const ItemView = memo(function ItemView({
  item,
  agentName,
  turnId,
  onDecide,
}: {
  item: TurnItem;
  agentName: string;
  turnId: string | null;
  onDecide: (turnId: string, itemId: string, approve: boolean) => void;
}) {
  switch (item.kind) {
    case "text":
      if (!item.text) return null;
      return item.phase === "commentary" ? (
        <div
          data-testid="agent-commentary"
          className="max-w-[85%] border-l-2 border-zinc-300 pl-3 text-zinc-700 dark:border-zinc-600 dark:text-zinc-300"
        >
          <AgentReplyBubble
            text={item.text}
            streaming={!item.done}
            className="bg-transparent px-0 py-0 dark:bg-transparent"
          />
        </div>
      ) : (
        <div data-testid="agent-answer" data-done={item.done} className="flex w-full flex-col items-start">
          <span className="text-xs text-zinc-700 dark:text-zinc-300">{item.sender ?? agentName}</span>
          <AgentReplyBubble text={item.text} streaming={!item.done} />
          {item.cut ? (
            <span className="text-xs text-zinc-700 dark:text-zinc-300">(cut: the answer was too long)</span>
          ) : null}
        </div>
      );
    case "reasoning":
      return item.text ? (
        <details data-testid="agent-reasoning" className="max-w-[85%] text-xs text-zinc-700 dark:text-zinc-300">
          <summary className="cursor-pointer focus-visible:outline-2 focus-visible:outline-blue-500">
            {item.done ? "Reasoning" : "Reasoning…"}
          </summary>
          <p className="mt-1 whitespace-pre-wrap">{item.text}</p>
        </details>
      ) : null;
    case "file":
      return item.url ? <RoomFileLink url={item.url} /> : null;
    case "tool":
      return <ToolCallView item={item} onDecide={(approve) => turnId && onDecide(turnId, item.id, approve)} />;
  }
});

/**
 * One turn: what was asked (and any steers), what the agent streamed back,
 * and how it ended. Memoized: the store keeps an unchanged turn's object, so
 * while one answer streams only its turn renders again.
 */
export const TurnView = memo(function TurnView({
  turn,
  agentName,
  queued,
  onDecide,
}: {
  turn: Turn;
  agentName: string;
  queued: boolean;
  onDecide: (turnId: string, itemId: string, approve: boolean) => void;
}) {
  const label = turn.own ? "You" : (turn.sender ?? "Someone");
  return (
    <li data-testid="agent-turn" data-state={turn.state} data-own={turn.own} className="flex flex-col gap-2">
      {turn.input.length > 0 ? <InputView content={turn.input} own={turn.own} label={label} /> : null}
      {turn.steers.map((content, index) => (
        <InputView key={index} content={content} own={turn.own} label={`${label} (added while it worked)`} />
      ))}
      {queued ? (
        <span data-testid="turn-queued" className="self-end text-xs text-zinc-700 dark:text-zinc-300">
          Queued: {agentName} answers when it is done with the current message.
        </span>
      ) : null}
      {turn.items.map((item) => (
        <ItemView key={item.id} item={item} agentName={agentName} turnId={turn.turnId} onDecide={onDecide} />
      ))}
      {turn.cut ? (
        <span data-testid="turn-cut" className="text-xs text-zinc-700 dark:text-zinc-300">
          (cut: the agent sent more than this page keeps for one answer)
        </span>
      ) : null}
      {turn.state === "failed" ? <NotSent error={turn.error ?? undefined} /> : null}
      {turn.state !== "failed" && turn.error ? (
        <p role="alert" data-testid="turn-error" className="text-sm text-red-700 dark:text-red-300">
          {turn.error}
        </p>
      ) : null}
      {turn.stopped && turn.state === "ended" ? (
        <span data-testid="turn-stopped" className="text-xs text-zinc-700 dark:text-zinc-300">
          Stopped.
        </span>
      ) : null}
    </li>
  );
});
