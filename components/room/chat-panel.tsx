"use client";

import { useEffect, useRef, useState, type FormEvent, type KeyboardEvent } from "react";
import { Button } from "@/components/ui/button";
import { cn } from "@/lib/cn";
import { CHAT_MAX_LENGTH, type ChatMessage } from "@/lib/chat";

export function ChatPanel({ messages, onSend }: { messages: ChatMessage[]; onSend: (text: string) => void }) {
  const [draft, setDraft] = useState("");
  const listEnd = useRef<HTMLLIElement>(null);

  useEffect(() => {
    listEnd.current?.scrollIntoView({ block: "end" });
  }, [messages.length]);

  function send() {
    if (!draft.trim()) return;
    onSend(draft);
    setDraft("");
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    send();
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    // Enter sends, Shift+Enter adds a line; never while an IME is composing.
    if (event.key === "Enter" && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      send();
    }
  }

  return (
    <section
      aria-labelledby="chat-heading"
      className="flex min-h-96 flex-col rounded-xl border border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900"
    >
      <h2 id="chat-heading" className="border-b border-zinc-200 px-4 py-3 text-sm font-semibold dark:border-zinc-800">
        Chat
      </h2>
      <ol aria-live="polite" data-testid="chat-messages" className="flex-1 space-y-3 overflow-y-auto px-4 py-3">
        {messages.length === 0 ? (
          <li className="py-8 text-center text-sm text-zinc-500">No messages yet. Say hello.</li>
        ) : null}
        {messages.map((message) => (
          <li
            key={`${message.fromId}:${message.id}`}
            data-testid="chat-message"
            data-status={message.status}
            className={cn("flex flex-col", message.own ? "items-end" : "items-start")}
          >
            <span className="text-xs text-zinc-500">{message.own ? "You" : message.fromName}</span>
            <p
              className={cn(
                "max-w-[85%] whitespace-pre-wrap break-words rounded-lg px-3 py-2 text-sm",
                message.own
                  ? "bg-zinc-900 text-white dark:bg-zinc-100 dark:text-zinc-900"
                  : "bg-zinc-100 dark:bg-zinc-800",
                message.status === "sending" && "opacity-60",
                message.status === "failed" && "ring-2 ring-red-500",
              )}
            >
              {message.text}
            </p>
            {message.status === "failed" ? (
              <span role="alert" className="text-xs text-red-600 dark:text-red-400">
                {message.error ?? "Not sent."}
              </span>
            ) : null}
          </li>
        ))}
        <li ref={listEnd} aria-hidden />
      </ol>
      <form onSubmit={onSubmit} className="flex gap-2 border-t border-zinc-200 p-3 dark:border-zinc-800">
        <label htmlFor="chat-input" className="sr-only">
          Message
        </label>
        <textarea
          id="chat-input"
          rows={1}
          value={draft}
          maxLength={CHAT_MAX_LENGTH}
          onChange={(event) => setDraft(event.target.value)}
          onKeyDown={onKeyDown}
          placeholder="Write a message… (Enter to send)"
          className="min-h-9 flex-1 resize-none rounded-md border border-zinc-300 bg-white px-3 py-2 text-sm focus-visible:outline-2 focus-visible:outline-blue-500 dark:border-zinc-700 dark:bg-zinc-950"
        />
        <Button type="submit" disabled={!draft.trim()}>
          Send
        </Button>
      </form>
    </section>
  );
}
