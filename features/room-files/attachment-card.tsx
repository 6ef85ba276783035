"use client";

import { useState } from "react";
import type { RoomAttachment } from "@/features/room-files/attachment";
import { AttachmentPreview } from "@/features/room-files/attachment-preview";
import { formatSize } from "@/features/room-files/format-size";
import { mayPreview } from "@/features/room-files/image-sniff";
import { MAX_PREVIEW_BYTES } from "@/features/room-files/limits";
import { downloadRoomFile, saveBytes } from "@/features/room-files/room-file-bytes";
import { useRoom } from "@/lib/room/use-room";

/** A file attached to a chat message: its name and size, a preview for images, and a download. */
export function AttachmentCard({ attachment }: { attachment: RoomAttachment }) {
  const { client } = useRoom();
  const [state, setState] = useState<{ busy: boolean; error: string | null }>({ busy: false, error: null });

  async function download() {
    if (!client) return setState({ busy: false, error: "Not connected to the room." });
    setState({ busy: true, error: null });
    try {
      saveBytes(await downloadRoomFile(client, attachment.path), attachment.name);
      setState({ busy: false, error: null });
    } catch (error) {
      const why = error instanceof Error ? error.message.slice(0, 200) : "unknown error";
      setState({ busy: false, error: `Download failed: ${why}` });
    }
  }

  return (
    <div
      data-testid="attachment"
      className="flex max-w-xs flex-col gap-1 rounded-lg border border-zinc-200 bg-white p-2 text-xs text-zinc-900 dark:border-zinc-700 dark:bg-zinc-950 dark:text-zinc-100"
    >
      {mayPreview(attachment.mimeType) && attachment.size <= MAX_PREVIEW_BYTES ? (
        <AttachmentPreview attachment={attachment} />
      ) : null}
      <div className="flex items-center gap-2">
        <span className="min-w-0 flex-1 truncate font-medium" title={attachment.name}>
          {attachment.name}
        </span>
        <span className="shrink-0 text-zinc-700 dark:text-zinc-300">{formatSize(attachment.size)}</span>
      </div>
      <button
        type="button"
        onClick={download}
        disabled={state.busy || !client}
        aria-label={`Download ${attachment.name}`}
        className="self-start rounded font-medium text-blue-700 underline focus-visible:outline-2 focus-visible:outline-blue-500 disabled:opacity-60 dark:text-blue-300"
      >
        {state.busy ? "Downloading…" : "Download"}
      </button>
      {state.error ? (
        <p role="alert" className="text-red-700 dark:text-red-300">
          {state.error}
        </p>
      ) : null}
    </div>
  );
}
