"use client";

import { useState } from "react";
import { cn } from "@/lib/cn";
import type { DeliveryStatus } from "@/lib/room/delivery";

/** Past this many lines or characters a bubble starts collapsed: one message must not fill the screen. */
const COLLAPSE_LINES = 12;
const COLLAPSE_CHARS = 600;

export function ChatBubble({ text, own, className }: { text: string; own: boolean; className?: string }) {
  const long = text.length > COLLAPSE_CHARS || text.split("\n", COLLAPSE_LINES + 1).length > COLLAPSE_LINES;
  const [expanded, setExpanded] = useState(false);
  const collapsed = long && !expanded;

  return (
    <div className={cn("flex max-w-[85%] flex-col", own ? "items-end" : "items-start")}>
      <p
        data-testid="chat-bubble"
        className={cn(
          "whitespace-pre-wrap break-words rounded-lg px-3 py-2 text-sm",
          own ? "bg-zinc-900 text-white dark:bg-zinc-100 dark:text-zinc-900" : "bg-zinc-100 dark:bg-zinc-800",
          collapsed && "max-h-60 overflow-hidden",
          className,
        )}
      >
        {text}
      </p>
      {long ? (
        <button
          type="button"
          onClick={() => setExpanded(!expanded)}
          className="text-xs font-medium text-zinc-700 underline dark:text-zinc-300"
        >
          {expanded ? "Show less" : "Show more"}
        </button>
      ) : null}
    </div>
  );
}

/** How a bubble looks while its message is on the way, or after it failed. */
export function deliveryClasses(status: DeliveryStatus): string | false {
  return (status === "sending" && "opacity-60") || (status === "failed" && "ring-2 ring-red-500");
}

/** Under a message that did not reach the room: why, for the person who wrote it. */
export function NotSent({ error }: { error?: string }) {
  return (
    <span role="alert" className="text-xs text-red-700 dark:text-red-300">
      {error ?? "Not sent."}
    </span>
  );
}
