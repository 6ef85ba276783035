"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";
import { ChatBubble, NotSent, deliveryClasses } from "@/components/ui/chat-bubble";
import { useComposer } from "@/components/ui/use-composer";
import { AGENT_CHAT_MAX_LENGTH } from "@/features/agents/agent-messages";
import { AgentReplyBubble } from "@/features/agents/agent-reply-bubble";
import type { RoomAgent } from "@/features/agents/use-agents";
import { useAgentThread } from "@/features/agents/use-agent-thread";
import { cn } from "@/lib/cn";

/** Your thread with one agent: its messages, what it is doing right now, Stop, and a composer. */
export function AgentThreadView({ name, agent }: { name: string; agent: RoomAgent | null }) {
  const { lines, status, pending, send, typing, cancel, canSend } = useAgentThread(name, agent);
  const [draft, setDraft] = useState("");
  const inputId = `agent-input-${name.replace(/[^A-Za-z0-9_-]/g, "_")}`;

  function submit() {
    if (!draft.trim()) return;
    send(draft);
    setDraft("");
  }

  const { listEnd, onSubmit, onKeyDown } = useComposer(submit, lines.length);

  return (
    <div data-testid="agent-thread" data-agent={name} className="flex h-[30rem] min-w-0 flex-col">
      <ol
        aria-live="polite"
        aria-label={`Your thread with ${name}`}
        className="flex-1 space-y-3 overflow-y-auto px-4 py-3"
      >
        {lines.length === 0 ? (
          <li className="py-8 text-center text-sm text-zinc-700 dark:text-zinc-300">
            {agent ? `Ask ${name} something. Try “help”.` : `${name} is not in the room right now.`}
          </li>
        ) : null}
        {lines.map((line) => (
          <li
            key={line.id}
            data-testid="agent-message"
            data-own={line.own}
            data-status={line.status}
            className={cn("flex flex-col", line.own ? "items-end" : "items-start")}
          >
            <span className="text-xs text-zinc-700 dark:text-zinc-300">{line.own ? "You" : name}</span>
            {line.own ? (
              <ChatBubble own text={line.text} className={cn(deliveryClasses(line.status))} />
            ) : (
              <AgentReplyBubble text={line.text} />
            )}
            {line.status === "failed" ? <NotSent error={line.error} /> : null}
          </li>
        ))}
        <li ref={listEnd} aria-hidden />
      </ol>
      <div
        role="status"
        className="flex min-h-11 items-center justify-between gap-2 px-4 text-sm text-zinc-700 dark:text-zinc-300"
      >
        {status || (pending && agent) ? (
          <>
            <span data-testid={status ? "agent-status" : "agent-pending"} className="truncate">
              {name}: {status ? status.text : "waiting for a reply…"}
            </span>
            <Button variant="secondary" className="h-8" onClick={cancel}>
              Stop
            </Button>
          </>
        ) : agent ? null : (
          <span>{name} left the room; your thread is kept here.</span>
        )}
      </div>
      <form onSubmit={onSubmit} className="flex gap-2 border-t border-zinc-200 p-3 dark:border-zinc-800">
        <label htmlFor={inputId} className="sr-only">
          Write to {name}
        </label>
        <textarea
          id={inputId}
          rows={1}
          value={draft}
          maxLength={AGENT_CHAT_MAX_LENGTH}
          onChange={(event) => {
            setDraft(event.target.value);
            if (event.target.value.trim()) typing();
          }}
          onKeyDown={onKeyDown}
          placeholder={`Write to ${name}… (Enter to send)`}
          className="min-h-9 flex-1 resize-none rounded-md border border-zinc-300 bg-white px-3 py-2 text-sm placeholder:text-zinc-600 focus-visible:outline-2 focus-visible:outline-blue-500 dark:border-zinc-700 dark:bg-zinc-950 dark:placeholder:text-zinc-400"
        />
        <Button type="submit" disabled={!draft.trim() || !canSend}>
          Send
        </Button>
      </form>
    </div>
  );
}
