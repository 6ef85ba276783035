"use client";

import { AgentMarkdown } from "@/features/agents/markdown/agent-markdown";
import { cn } from "@/lib/cn";

/** An agent's text, as markdown in a bubble; `streaming` while more of it is still arriving. */
export function AgentReplyBubble({
  text,
  streaming,
  className,
}: {
  text: string;
  streaming?: boolean;
  className?: string;
}) {
  return (
    <div
      data-testid="chat-bubble"
      className={cn(
        "max-w-[85%] min-w-0 overflow-x-auto rounded-lg bg-zinc-100 px-3 py-2 text-sm dark:bg-zinc-800",
        className,
      )}
    >
      <AgentMarkdown text={text} streaming={streaming} />
    </div>
  );
}
