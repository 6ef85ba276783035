"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";
import type { ThreadSummary } from "@/features/agents/turn/turn-state";
import { cn } from "@/lib/cn";

function ThreadEntry({
  thread,
  current,
  onOpen,
  onRename,
  onDelete,
}: {
  thread: ThreadSummary;
  current: boolean;
  onOpen: () => void;
  onRename: (name: string) => void;
  onDelete: () => void;
}) {
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState(thread.name);
  const small =
    "rounded px-1 text-xs text-zinc-700 underline focus-visible:outline-2 focus-visible:outline-blue-500 dark:text-zinc-300";

  if (editing) {
    return (
      <form
        className="flex flex-col gap-1 p-1"
        onSubmit={(event) => {
          event.preventDefault();
          onRename(draft);
          setEditing(false);
        }}
      >
        <label className="sr-only" htmlFor={`rename-${thread.path}`}>
          New name for {thread.name}
        </label>
        <input
          id={`rename-${thread.path}`}
          value={draft}
          maxLength={200}
          onChange={(event) => setDraft(event.target.value)}
          className="h-8 rounded-md border border-zinc-300 bg-white px-2 text-sm dark:border-zinc-700 dark:bg-zinc-950"
        />
        <div className="flex gap-1">
          <button type="submit" className={small}>
            Save
          </button>
          <button type="button" className={small} onClick={() => setEditing(false)}>
            Cancel
          </button>
        </div>
      </form>
    );
  }

  return (
    <div className={cn("group rounded-md p-1", current && "bg-zinc-100 dark:bg-zinc-800")}>
      <button
        type="button"
        data-testid="thread-item"
        aria-current={current ? "true" : undefined}
        onClick={onOpen}
        className="w-full truncate rounded px-1 text-left text-sm focus-visible:outline-2 focus-visible:outline-blue-500"
      >
        {thread.name}
      </button>
      <div className="flex gap-1">
        <button
          type="button"
          className={small}
          aria-label={`Rename ${thread.name}`}
          onClick={() => {
            setDraft(thread.name);
            setEditing(true);
          }}
        >
          Rename
        </button>
        <button type="button" className={small} aria-label={`Delete ${thread.name}`} onClick={onDelete}>
          Delete
        </button>
      </div>
    </div>
  );
}

/** An agent's chats, newest first, kept live by the agent; New chat starts another. */
export function ThreadList({
  agentName,
  threads,
  loaded,
  current,
  onNew,
  onOpen,
  onRename,
  onDelete,
}: {
  agentName: string;
  threads: ThreadSummary[];
  loaded: boolean;
  current: string | null;
  onNew: () => void;
  onOpen: (path: string) => void;
  onRename: (path: string, name: string) => void;
  onDelete: (path: string) => void;
}) {
  return (
    <nav
      aria-label={`Chats with ${agentName}`}
      className="flex max-h-[30rem] flex-col gap-2 overflow-y-auto border-b border-zinc-200 p-2 md:border-r md:border-b-0 dark:border-zinc-800"
    >
      <Button variant="secondary" className="h-8" onClick={onNew} aria-pressed={current === null}>
        New chat
      </Button>
      {!loaded ? <p className="px-1 text-xs text-zinc-700 dark:text-zinc-300">Loading chats…</p> : null}
      {loaded && threads.length === 0 ? (
        <p className="px-1 text-xs text-zinc-700 dark:text-zinc-300">No chats yet.</p>
      ) : null}
      <ul data-testid="thread-list" className="space-y-1">
        {threads.map((thread) => (
          <li key={thread.path}>
            <ThreadEntry
              thread={thread}
              current={thread.path === current}
              onOpen={() => onOpen(thread.path)}
              onRename={(name) => onRename(thread.path, name)}
              onDelete={() => onDelete(thread.path)}
            />
          </li>
        ))}
      </ul>
    </nav>
  );
}
