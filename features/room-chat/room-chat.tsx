"use client";

import { useEffect, useRef, useState, type FormEvent, type KeyboardEvent } from "react";
import { Button } from "@/components/ui/button";
import { ChatBubble } from "@/components/ui/chat-bubble";
import { CHAT_MAX_LENGTH } from "@/features/room-chat/room-chat-message";
import { useRoomChat } from "@/features/room-chat/use-room-chat";
import { cn } from "@/lib/cn";

export function RoomChat() {
  const { lines, send } = useRoomChat();
  const [draft, setDraft] = useState("");
  const listEnd = useRef<HTMLLIElement>(null);

  useEffect(() => {
    listEnd.current?.scrollIntoView({ block: "end" });
  }, [lines.length]);

  function submit() {
    if (!draft.trim()) return;
    send(draft);
    setDraft("");
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    submit();
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    // Enter sends, Shift+Enter adds a line; never while an IME is composing.
    if (event.key === "Enter" && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      submit();
    }
  }

  return (
    <section
      aria-labelledby="chat-heading"
      className="flex h-[32rem] flex-col rounded-xl border border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900"
    >
      <h2 id="chat-heading" className="border-b border-zinc-200 px-4 py-3 text-sm font-semibold dark:border-zinc-800">
        Chat
      </h2>
      <ol aria-live="polite" data-testid="chat-messages" className="flex-1 space-y-3 overflow-y-auto px-4 py-3">
        {lines.length === 0 ? (
          <li className="py-8 text-center text-sm text-zinc-700 dark:text-zinc-300">No messages yet. Say hello.</li>
        ) : null}
        {lines.map((line) => (
          <li
            key={`${line.fromId}:${line.id}`}
            data-testid="chat-message"
            data-status={line.status}
            className={cn("flex flex-col", line.own ? "items-end" : "items-start")}
          >
            <span className="text-xs text-zinc-700 dark:text-zinc-300">{line.own ? "You" : line.fromName}</span>
            <ChatBubble
              own={line.own}
              text={line.text}
              className={cn(
                line.status === "sending" && "opacity-60",
                line.status === "failed" && "ring-2 ring-red-500",
              )}
            />
            {line.status === "failed" ? (
              <span role="alert" className="text-xs text-red-700 dark:text-red-300">
                {line.error ?? "Not sent."}
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
          className="min-h-9 flex-1 resize-none rounded-md border border-zinc-300 bg-white px-3 py-2 text-sm placeholder:text-zinc-600 focus-visible:outline-2 focus-visible:outline-blue-500 dark:border-zinc-700 dark:bg-zinc-950 dark:placeholder:text-zinc-400"
        />
        <Button type="submit" disabled={!draft.trim()}>
          Send
        </Button>
      </form>
    </section>
  );
}
