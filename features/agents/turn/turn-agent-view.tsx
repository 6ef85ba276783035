"use client";

import { Suspense, lazy, memo, useMemo, useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { useComposer } from "@/components/ui/use-composer";
import { AGENT_CHAT_MAX_LENGTH } from "@/features/agents/agent-messages";
import { AttachButton } from "@/features/room-files/attach-button";
import { useFileDrop } from "@/features/room-files/use-file-drop";
import { usePendingAttachments } from "@/features/room-files/use-pending-attachments";
import { StatusLine } from "@/features/agents/turn/status-line";
import { ThreadList } from "@/features/agents/turn/thread-list";
import { TurnView } from "@/features/agents/turn/turn-view";
import { turnsOnScreen } from "@/features/agents/turn/turns-on-screen";
import { useTurnWindow } from "@/features/agents/turn/turn-window";
import { useTurnAgent } from "@/features/agents/turn/use-turn-agent";
import type { RoomAgent } from "@/features/agents/use-agents";
import { roomUrl, type InputContent } from "@/lib/shared/agent-turn/content";
import { cn } from "@/lib/cn";

const PendingAttachments = lazy(() =>
  import("@/features/room-files/pending-attachments").then((m) => ({ default: m.PendingAttachments })),
);

// One formatter for the page: toLocaleString builds one per call, which cost ~0.4 ms per render of the footer.
const COUNT = new Intl.NumberFormat("en-US");

const Usage = memo(function Usage({
  usage,
}: {
  usage: NonNullable<ReturnType<typeof useTurnAgent>["thread"]>["usage"];
}) {
  if (!usage) return null;
  const n = (value: number | null) => (value === null ? "–" : COUNT.format(value));
  return (
    <p data-testid="agent-usage" className="px-4 pb-1 text-xs text-zinc-700 dark:text-zinc-300">
      Tokens: {n(usage.input)} in · {n(usage.output)} out
      {usage.contextUsed !== null ? ` · context ${n(usage.contextUsed)} of ${n(usage.contextTotal)}` : null}
    </p>
  );
});

/** A turn-protocol agent: its chats (unless it keeps one thread), the chat on screen, and a composer with files. */
export function TurnAgentView({ name, agent }: { name: string; agent: RoomAgent | null }) {
  const chat = useTurnAgent(name, agent);
  const { thread, threadId, state } = chat;
  const [draft, setDraft] = useState("");
  const files = usePendingAttachments();
  const { dragging, dropProps, onPaste } = useFileDrop(files.add);
  const inputId = `agent-input-${name.replace(/[^A-Za-z0-9_-]/g, "_")}`;
  const canSend = chat.canSend && (draft.trim().length > 0 || files.ready.length > 0) && !files.uploading;
  const turns = useMemo(() => turnsOnScreen(thread), [thread]);
  const visible = useTurnWindow(turns, threadId, thread?.phase === "ready");
  const title = threadId
    ? (state.list.threads.find((entry) => entry.path === threadId)?.name ?? (chat.single ? name : "Chat"))
    : "New chat";

  function submit() {
    if (!canSend) return;
    const text = draft.trim().slice(0, AGENT_CHAT_MAX_LENGTH);
    const content: InputContent[] = [
      ...(text ? [{ type: "text" as const, text }] : []),
      ...files.ready.map((file) => ({ type: "file" as const, url: roomUrl(file.path), name: file.name })),
    ];
    chat.sendMessage(content);
    setDraft("");
    files.clear();
  }

  const lastItems = turns.at(-1)?.items;
  const { listEnd, onSubmit, onKeyDown } = useComposer(submit, turns.length + (lastItems?.length ?? 0));
  const busy = chat.running;

  return (
    <div
      data-testid="agent-thread"
      data-agent={name}
      data-protocol="turn"
      className={cn("grid min-w-0", !chat.single && "md:grid-cols-[10rem_1fr]")}
    >
      {chat.single ? null : (
        <ThreadList
          agentName={name}
          threads={state.list.threads}
          loaded={state.list.loaded}
          current={threadId}
          onNew={() => chat.select(null)}
          onOpen={(path) => chat.select(path)}
          onRename={chat.rename}
          onDelete={chat.remove}
        />
      )}
      <div
        {...dropProps}
        data-dragging={dragging || undefined}
        className={cn(
          "flex h-[30rem] min-w-0 flex-col",
          dragging && "outline-2 outline-offset-2 outline-blue-500 outline-dashed",
        )}
      >
        <h3 data-testid="thread-title" className="truncate px-4 pt-3 text-sm font-semibold">
          {title}
        </h3>
        <ol
          aria-live="polite"
          aria-label={`Your chat with ${name}`}
          className="flex-1 space-y-4 overflow-y-auto px-4 py-3"
        >
          {thread?.phase === "loading" ? (
            <li role="status" className="text-sm text-zinc-700 dark:text-zinc-300">
              Loading the history…
            </li>
          ) : null}
          {thread?.phase === "silent" ? (
            <li>
              <Alert tone="warning" role="alert" className="flex flex-wrap items-center justify-between gap-2">
                <span>{name} did not answer; this chat may be out of date.</span>
                <Button variant="secondary" className="h-8" onClick={chat.retryOpen}>
                  Retry
                </Button>
              </Alert>
            </li>
          ) : null}
          {thread?.phase === "deleted" ? (
            <li>
              <Alert role="status">This chat was deleted.</Alert>
            </li>
          ) : null}
          {state.startError && !threadId ? (
            <li>
              <Alert tone="error" role="alert">
                {state.startError}
              </Alert>
            </li>
          ) : null}
          {turns.length === 0 && thread?.phase !== "loading" ? (
            <li className="py-8 text-center text-sm text-zinc-700 dark:text-zinc-300">
              {agent
                ? (agent.kind.emptyStateTitle ?? `Ask ${name} something.`)
                : `${name} is not in the room right now.`}
            </li>
          ) : null}
          {visible.hidden > 0 ? (
            <li className="text-center">
              <Button variant="secondary" className="h-8" onClick={visible.showEarlier}>
                Show earlier messages ({visible.hidden.toLocaleString("en-US")})
              </Button>
            </li>
          ) : null}
          {visible.shown.map((turn) => (
            <TurnView
              key={turn.key}
              turn={turn}
              agentName={name}
              queued={turn.state === "queued" || (turn.state === "sending" && busy && turn.own)}
              onDecide={chat.decide}
            />
          ))}
          <li ref={listEnd} aria-hidden />
        </ol>
        <StatusLine name={name} status={chat.status} running={chat.running} onStop={chat.stop} />
        <Usage usage={thread?.usage ?? null} />
        {agent ? null : (
          <p className="px-4 pb-2 text-sm text-zinc-700 dark:text-zinc-300">
            {name} left the room; your chats are kept here.
          </p>
        )}
        {files.items.length > 0 ? (
          <Suspense fallback={null}>
            <PendingAttachments items={files.items} onRemove={files.remove} />
          </Suspense>
        ) : null}
        <form onSubmit={onSubmit} className="flex gap-2 border-t border-zinc-200 p-3 dark:border-zinc-800">
          <AttachButton onFiles={files.add} disabled={!chat.canSend} />
          <label htmlFor={inputId} className="sr-only">
            Write to {name}
          </label>
          <textarea
            id={inputId}
            rows={1}
            value={draft}
            maxLength={AGENT_CHAT_MAX_LENGTH}
            onChange={(event) => setDraft(event.target.value)}
            onKeyDown={onKeyDown}
            onPaste={onPaste}
            placeholder={
              chat.steerable ? `Add to ${name}'s answer… (Enter to send)` : `Write to ${name}… (Enter to send)`
            }
            className="min-h-9 flex-1 resize-none rounded-md border border-zinc-300 bg-white px-3 py-2 text-sm placeholder:text-zinc-600 focus-visible:outline-2 focus-visible:outline-blue-500 dark:border-zinc-700 dark:bg-zinc-950 dark:placeholder:text-zinc-400"
          />
          <Button type="submit" disabled={!canSend}>
            {chat.steerable ? "Steer" : "Send"}
          </Button>
        </form>
      </div>
    </div>
  );
}
