"use client";

import { useCallback, useState } from "react";
import type { RoomAttachment } from "@/features/room-files/attachment";
import { MAX_ATTACHMENTS } from "@/features/room-files/limits";
import { describeUploadError, refuseBeforeUpload, uploadFile } from "@/features/room-files/upload-file";
import { useRoom } from "@/lib/room/use-room";

export interface PendingAttachment {
  key: string;
  name: string;
  size: number;
  sent: number;
  status: "uploading" | "ready" | "failed";
  error?: string;
  attachment?: RoomAttachment;
}

/**
 * Files attached to the message being written. Each upload starts as soon as
 * the file is attached, so sending is quick; a refused or failed file stays in
 * the list with the reason until removed, and never touches the typed text.
 */
export function usePendingAttachments() {
  const { client } = useRoom();
  const [items, setItems] = useState<PendingAttachment[]>([]);

  const update = useCallback((key: string, change: Partial<PendingAttachment>) => {
    setItems((current) => current.map((item) => (item.key === key ? { ...item, ...change } : item)));
  }, []);

  const add = useCallback(
    (files: Iterable<File>) => {
      let attached = items.filter((item) => item.status !== "failed").length;
      const added: PendingAttachment[] = [];
      for (const file of Array.from(files)) {
        const key = crypto.randomUUID();
        const base = { key, name: file.name || "file", size: file.size, sent: 0 };
        const refusal =
          attached >= MAX_ATTACHMENTS
            ? `${base.name} was not attached: at most ${MAX_ATTACHMENTS} files per message.`
            : (refuseBeforeUpload(file) ??
              (client ? null : `${base.name} was not attached: you are not connected to the room.`));
        if (refusal || !client) {
          added.push({ ...base, status: "failed", error: refusal ?? undefined });
          continue;
        }
        attached++;
        added.push({ ...base, status: "uploading" });
        uploadFile(client, file, (sent) => update(key, { sent }))
          .then((attachment) => update(key, { status: "ready", sent: file.size, attachment }))
          .catch((error: unknown) => update(key, { status: "failed", error: describeUploadError(error) }));
      }
      setItems((current) => [...current, ...added]);
    },
    [client, items, update],
  );

  const remove = useCallback((key: string) => setItems((current) => current.filter((item) => item.key !== key)), []);
  const clear = useCallback(() => setItems([]), []);

  const ready = items.flatMap((item) => (item.status === "ready" && item.attachment ? [item.attachment] : []));
  const uploading = items.some((item) => item.status === "uploading");
  return { items, ready, uploading, add, remove, clear };
}
