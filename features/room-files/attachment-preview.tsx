"use client";

import { useEffect, useState } from "react";
import type { RoomAttachment } from "@/features/room-files/attachment";
import { sniffImageType } from "@/features/room-files/image-sniff";
import { MAX_PREVIEW_BYTES } from "@/features/room-files/limits";
import { downloadForPreview } from "@/features/room-files/room-file-bytes";
import { useRoom } from "@/lib/room/use-room";

/**
 * An inline preview of an image attachment: the bytes come through the room,
 * and are shown only if they really are PNG, JPEG, GIF or WebP (an <img> from
 * a blob URL of that type cannot run anything). Nothing is fetched before the
 * room confirms the file's real size is within MAX_PREVIEW_BYTES.
 */
export function AttachmentPreview({ attachment }: { attachment: RoomAttachment }) {
  const { client } = useRoom();
  const [url, setUrl] = useState<string | null>(null);
  const [failed, setFailed] = useState<"too-large" | "not-an-image" | null>(null);

  useEffect(() => {
    if (!client || url) return;
    // Aborted when the preview goes away (or StrictMode's first run ends): the download stops too.
    const controller = new AbortController();
    downloadForPreview(client, attachment.path, MAX_PREVIEW_BYTES, controller.signal)
      .then((bytes) => {
        if (controller.signal.aborted) return;
        if (!bytes) return setFailed("too-large");
        const type = sniffImageType(bytes);
        if (!type) return setFailed("not-an-image");
        setUrl(URL.createObjectURL(new Blob([bytes as BlobPart], { type })));
      })
      .catch(() => controller.signal.aborted || setFailed("not-an-image"));
    return () => controller.abort();
  }, [client, attachment.path, url]);

  // The blob URL lives as long as this preview does.
  useEffect(() => (url ? () => URL.revokeObjectURL(url) : undefined), [url]);

  if (failed) {
    return (
      <p data-testid="attachment-no-preview" className="text-xs text-zinc-700 dark:text-zinc-300">
        {failed === "too-large" ? "Too large to preview: download it to see it." : "No preview for this image."}
      </p>
    );
  }
  if (!url) return <div aria-hidden className="h-24 w-32 animate-pulse rounded-md bg-zinc-200 dark:bg-zinc-800" />;
  return (
    // A blob URL of room bytes: next/image cannot optimise it, and it needs no optimising.
    // eslint-disable-next-line @next/next/no-img-element
    <img
      src={url}
      alt={`Preview of ${attachment.name}`}
      data-testid="attachment-preview"
      className="max-h-60 max-w-full rounded-md border border-zinc-200 object-contain dark:border-zinc-700"
    />
  );
}
