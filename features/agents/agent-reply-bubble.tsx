"use client";

import { useMemo } from "react";
import { AgentMarkdown } from "@/features/agents/markdown/agent-markdown";
import { usePacedText } from "@/features/agents/turn/use-paced-text";
import { cn } from "@/lib/cn";

/** An agent's text, as markdown in a bubble; `streaming` while more of it is still arriving. */
export function AgentReplyBubble({
  text,
  streaming = false,
  className,
}: {
  text: string;
  streaming?: boolean;
  className?: string;
}) {
  const painted = usePacedText(text, streaming);
  // The same element while the painted text stands still: React skips the markdown between paints.
  const markdown = useMemo(() => <AgentMarkdown text={painted} streaming={streaming} />, [painted, streaming]);
  return (
    <div
      data-testid="chat-bubble"
      className={cn(
        "max-w-[85%] min-w-0 overflow-x-auto rounded-lg bg-zinc-100 px-3 py-2 text-sm dark:bg-zinc-800",
        className,
      )}
    >
      {markdown}
    </div>
  );
}
