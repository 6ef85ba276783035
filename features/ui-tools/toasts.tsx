"use client";

import { useEffect } from "react";
import type { Toast } from "@/features/ui-tools/ui-requests";

/** How long a toast stays. */
const TOAST_MS = 10_000;

// onDismiss is the store's own function: a closure made per render would restart
// every toast's timer whenever another toast came or went.
function ToastItem({ toast, onDismiss }: { toast: Toast; onDismiss: (key: string) => void }) {
  const { key } = toast;
  useEffect(() => {
    const timer = setTimeout(() => onDismiss(key), TOAST_MS);
    return () => clearTimeout(timer);
  }, [key, onDismiss]);
  return (
    <div
      role="status"
      data-testid="toast"
      className="w-80 max-w-[calc(100vw-2rem)] rounded-lg border border-zinc-200 bg-white p-3 text-sm shadow-lg dark:border-zinc-700 dark:bg-zinc-900"
    >
      <div className="flex items-start justify-between gap-2">
        <p className="font-semibold break-words">{toast.title}</p>
        <button
          type="button"
          onClick={() => onDismiss(key)}
          aria-label={`Dismiss ${toast.title}`}
          className="rounded px-1 text-xs text-zinc-700 underline focus-visible:outline-2 focus-visible:outline-blue-500 dark:text-zinc-300"
        >
          Dismiss
        </button>
      </div>
      {toast.description ? <p className="mt-1 break-words">{toast.description}</p> : null}
      <p className="mt-1 text-xs text-zinc-700 dark:text-zinc-300">From {toast.asker}</p>
    </div>
  );
}

/** Toasts agents showed (show_toast), bottom right; text only. */
export function Toasts({ toasts, onDismiss }: { toasts: Toast[]; onDismiss: (key: string) => void }) {
  if (toasts.length === 0) return null;
  return (
    <div className="fixed right-4 bottom-4 z-50 flex flex-col gap-2">
      {toasts.map((toast) => (
        <ToastItem key={toast.key} toast={toast} onDismiss={onDismiss} />
      ))}
    </div>
  );
}
