"use client";

import { useState } from "react";
import { FeatureBoundary } from "@/components/room/feature-boundary";
import { RetryStatus } from "@/components/room/retry-status";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { ROOM_FEATURES } from "@/features";
import { cn } from "@/lib/cn";
import { useRoom } from "@/lib/room/use-room";

const SIDEBAR = ROOM_FEATURES.filter((feature) => feature.slot === "sidebar");
const TABS = ROOM_FEATURES.filter((feature) => feature.slot === "main");

/**
 * The room once joined. While reconnecting the layout and every feature's
 * state stay; `client` is null, presence empties, and a banner says what is
 * going on. Features come from features/index.ts: sidebar ones are stacked,
 * main ones are tabs whose code loads when the tab is first opened.
 */
export function ConnectedView() {
  const { room, status, retryNow } = useRoom();
  const [tab, setTab] = useState(TABS[0]?.id);
  const [opened, setOpened] = useState(() => new Set(TABS.slice(0, 1).map((feature) => feature.id)));
  const live = status.phase === "connected";

  function open(id: string) {
    setTab(id);
    setOpened((current) => (current.has(id) ? current : new Set(current).add(id)));
  }

  return (
    <div data-testid="room-connected" data-connection={live ? "live" : "reconnecting"} className="space-y-4">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h1 className="text-2xl font-semibold tracking-tight">#{room}</h1>
        <Badge tone={live ? "success" : "warning"}>{live ? "Connected" : "Reconnecting"}</Badge>
      </div>

      {live ? null : (
        <Alert
          tone="warning"
          role="status"
          aria-live="polite"
          data-testid="room-reconnecting"
          className="flex flex-wrap items-center justify-between gap-2"
        >
          {status.phase === "retrying" ? <RetryStatus retry={status.retry} /> : <span>Reconnecting…</span>}
          {status.phase === "retrying" ? (
            <Button variant="secondary" onClick={retryNow}>
              Retry now
            </Button>
          ) : null}
        </Alert>
      )}

      <div className="grid gap-4 md:grid-cols-[15rem_1fr]">
        <aside className="space-y-6 rounded-xl border border-zinc-200 bg-white p-4 dark:border-zinc-800 dark:bg-zinc-900">
          {SIDEBAR.map(({ id, title, Component }) => (
            <FeatureBoundary key={id} name={title}>
              <Component openFeature={open} />
            </FeatureBoundary>
          ))}
        </aside>
        <div className="min-w-0 space-y-2">
          {TABS.length > 1 ? (
            <div role="tablist" aria-label="Room features" className="flex gap-1">
              {TABS.map(({ id, title }) => (
                <button
                  key={id}
                  role="tab"
                  id={`tab-${id}`}
                  aria-controls={`panel-${id}`}
                  aria-selected={tab === id}
                  onClick={() => open(id)}
                  className={cn(
                    "rounded-md px-3 py-1.5 text-sm font-medium focus-visible:outline-2 focus-visible:outline-blue-500",
                    tab === id
                      ? "bg-zinc-900 text-white dark:bg-zinc-100 dark:text-zinc-900"
                      : "text-zinc-700 hover:bg-zinc-200 dark:text-zinc-300 dark:hover:bg-zinc-800",
                  )}
                >
                  {title}
                </button>
              ))}
            </div>
          ) : null}
          {TABS.filter(({ id }) => opened.has(id)).map(({ id, title, Component }) => (
            // Opened tabs stay mounted (hidden), so a draft or scroll position survives switching.
            <div key={id} role="tabpanel" id={`panel-${id}`} aria-labelledby={`tab-${id}`} hidden={tab !== id}>
              <FeatureBoundary name={title}>
                <Component openFeature={open} />
              </FeatureBoundary>
            </div>
          ))}
        </div>
      </div>
    </div>
  );
}
