"use client";

import { useDeferredValue, useMemo } from "react";
import { AgentMarkdown } from "@/features/agents/markdown/agent-markdown";
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
  // A new text is painted in a deferred render: React renders the markdown block by block, yielding to the browser
  // in between, so a long answer never holds the page for one long task (the store paces a streaming text, so
  // such a render is rarely overtaken: turn-store.ts). A first render is not deferred: history shows at once.
  // The end of the stream goes with its last words: Streamdown re-renders every code block and table when it ends.
  const shown = useDeferredValue(text);
  const shownStreaming = useDeferredValue(streaming);
  // The same element while the text stands still: React skips the markdown when only the rest of the turn changed.
  const markdown = useMemo(() => <AgentMarkdown text={shown} streaming={shownStreaming} />, [shown, shownStreaming]);
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
