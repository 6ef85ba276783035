"use client";

import { lazy, Suspense, useState } from "react";
import { Button } from "@/components/ui/button";
import { ChatBubble, NotSent, deliveryClasses } from "@/components/ui/chat-bubble";
import { useComposer } from "@/components/ui/use-composer";
import { CHAT_MAX_LENGTH } from "@/features/room-chat/room-chat-message";
import { useRoomChat } from "@/features/room-chat/use-room-chat";
import { AttachButton } from "@/features/room-files/attach-button";
import { useFileDrop } from "@/features/room-files/use-file-drop";
import { usePendingAttachments } from "@/features/room-files/use-pending-attachments";
import { cn } from "@/lib/cn";

// Shown only once files are around: their code loads then, not with the room page.
const AttachmentCard = lazy(() =>
  import("@/features/room-files/attachment-card").then((m) => ({ default: m.AttachmentCard })),
);
const PendingAttachments = lazy(() =>
  import("@/features/room-files/pending-attachments").then((m) => ({ default: m.PendingAttachments })),
);

export function RoomChat() {
  const { lines, send } = useRoomChat();
  const [draft, setDraft] = useState("");
  const files = usePendingAttachments();
  const { dragging, dropProps, onPaste } = useFileDrop(files.add);
  // Sending waits for uploads to finish; failed files are not sent (their reason stays until removed or sent).
  const canSend = (draft.trim().length > 0 || files.ready.length > 0) && !files.uploading;

  function submit() {
    if (!canSend) return;
    send(draft, files.ready);
    setDraft("");
    files.clear();
  }

  const { listEnd, onSubmit, onKeyDown } = useComposer(submit, lines.length);

  return (
    <section
      aria-labelledby="chat-heading"
      {...dropProps}
      data-dragging={dragging || undefined}
      className={cn(
        "flex h-[32rem] flex-col rounded-xl border border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900",
        dragging && "outline-2 outline-offset-2 outline-blue-500 outline-dashed",
      )}
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
            {line.text ? (
              <ChatBubble own={line.own} text={line.text} className={cn(deliveryClasses(line.status))} />
            ) : null}
            {line.attachments ? (
              <Suspense fallback={<span className="text-xs text-zinc-700 dark:text-zinc-300">Loading files…</span>}>
                {line.attachments.map((attachment) => (
                  <AttachmentCard key={attachment.path} attachment={attachment} />
                ))}
              </Suspense>
            ) : null}
            {line.status === "failed" ? <NotSent error={line.error} /> : null}
          </li>
        ))}
        <li ref={listEnd} aria-hidden />
      </ol>
      {files.items.length > 0 ? (
        <Suspense fallback={null}>
          <PendingAttachments items={files.items} onRemove={files.remove} />
        </Suspense>
      ) : null}
      <form onSubmit={onSubmit} className="flex gap-2 border-t border-zinc-200 p-3 dark:border-zinc-800">
        <AttachButton onFiles={files.add} />
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
          onPaste={onPaste}
          placeholder="Write a message… (Enter to send)"
          className="min-h-9 flex-1 resize-none rounded-md border border-zinc-300 bg-white px-3 py-2 text-sm placeholder:text-zinc-600 focus-visible:outline-2 focus-visible:outline-blue-500 dark:border-zinc-700 dark:bg-zinc-950 dark:placeholder:text-zinc-400"
        />
        <Button type="submit" disabled={!canSend}>
          Send
        </Button>
      </form>
    </section>
  );
}
