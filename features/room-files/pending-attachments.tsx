"use client";

import { formatSize } from "@/features/room-files/format-size";
import type { PendingAttachment } from "@/features/room-files/use-pending-attachments";

/** The files attached to the message being written: upload progress, or why a file was refused. */
export function PendingAttachments({
  items,
  onRemove,
}: {
  items: PendingAttachment[];
  onRemove: (key: string) => void;
}) {
  if (items.length === 0) return null;
  return (
    <ul aria-label="Attached files" className="space-y-1 border-t border-zinc-200 px-3 pt-2 dark:border-zinc-800">
      {items.map((item) => {
        const percent = item.size > 0 ? Math.round((item.sent / item.size) * 100) : 100;
        return (
          <li key={item.key} data-testid="pending-attachment" data-status={item.status} className="text-xs">
            <div className="flex items-center gap-2">
              <span className="min-w-0 flex-1 truncate font-medium">{item.name}</span>
              <span className="text-zinc-700 dark:text-zinc-300">{formatSize(item.size)}</span>
              <button
                type="button"
                onClick={() => onRemove(item.key)}
                aria-label={`Remove ${item.name}`}
                className="rounded px-1 font-medium text-zinc-700 underline focus-visible:outline-2 focus-visible:outline-blue-500 dark:text-zinc-300"
              >
                Remove
              </button>
            </div>
            {item.status === "uploading" ? (
              <progress
                max={100}
                value={percent}
                aria-label={`Uploading ${item.name}`}
                className="h-1.5 w-full accent-blue-600"
              />
            ) : null}
            {item.status === "failed" ? (
              <p role="alert" className="text-red-700 dark:text-red-300">
                {item.error ?? "Upload failed."}
              </p>
            ) : null}
          </li>
        );
      })}
    </ul>
  );
}
