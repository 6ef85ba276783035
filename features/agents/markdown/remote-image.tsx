"use client";

import { useState } from "react";
import { safeImageSource } from "@/features/agents/markdown/safe-urls";

/**
 * An image in an agent's answer. Nothing is fetched until the person asks
 * (an agent could otherwise use images as tracking pixels); then it loads
 * without a referrer. Unsafe sources are named and never loaded.
 */
export function RemoteImage({ src, alt }: { src?: unknown; alt?: unknown }) {
  const [shown, setShown] = useState(false);
  const source = safeImageSource(src);
  const label = typeof alt === "string" && alt.trim() ? alt.trim().slice(0, 200) : "image";
  if (!source) {
    return <span className="text-zinc-700 italic dark:text-zinc-300">[{label}: image not shown]</span>;
  }
  if (!shown) {
    return (
      <button
        type="button"
        data-testid="agent-image-placeholder"
        onClick={() => setShown(true)}
        className="my-1 inline-flex max-w-full items-center gap-1 rounded-md border border-zinc-300 px-2 py-1 text-xs text-zinc-800 hover:bg-zinc-100 focus-visible:outline-2 focus-visible:outline-blue-500 dark:border-zinc-700 dark:text-zinc-200 dark:hover:bg-zinc-800"
      >
        <span className="truncate">
          Load image “{label}” from {source.host}
        </span>
      </button>
    );
  }
  return (
    // eslint-disable-next-line @next/next/no-img-element -- a remote image of unknown size, loaded on request
    <img src={source.url} alt={label} referrerPolicy="no-referrer" className="my-1 max-h-96 max-w-full rounded-md" />
  );
}
