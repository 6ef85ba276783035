"use client";

import { useState } from "react";
import { downloadRoomFile, saveBytes } from "@/features/room-files/room-file-bytes";
import { roomPathFromUrl } from "@/lib/shared/agent-turn/content";
import { useRoom } from "@/lib/room/use-room";

/** A room file an agent points to (`room:///…`): its name, and a download through room storage. */
export function RoomFileLink({ url, label }: { url: string; label?: string }) {
  const { client } = useRoom();
  const [error, setError] = useState<string | null>(null);
  const path = roomPathFromUrl(url);
  if (!path) return <span className="text-xs text-zinc-700 dark:text-zinc-300">[a file this page cannot open]</span>;
  const name = label ?? path.split("/").pop() ?? path;

  async function download() {
    if (!client || !path) return setError("Not connected to the room.");
    setError(null);
    try {
      saveBytes(await downloadRoomFile(client, path), name);
    } catch (failure) {
      setError(`Download failed: ${failure instanceof Error ? failure.message.slice(0, 200) : "unknown error"}`);
    }
  }

  return (
    <span data-testid="room-file" className="inline-flex flex-col text-xs">
      <button
        type="button"
        onClick={download}
        title={path}
        className="self-start truncate rounded font-medium text-blue-700 underline focus-visible:outline-2 focus-visible:outline-blue-500 dark:text-blue-300"
      >
        {name}
      </button>
      {error ? (
        <span role="alert" className="text-red-700 dark:text-red-300">
          {error}
        </span>
      ) : null}
    </span>
  );
}
