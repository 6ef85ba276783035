"use client";

import { useEffect, useId, useState } from "react";
import { Button } from "@/components/ui/button";
import { AgentMarkdown } from "@/features/agents/markdown/agent-markdown";
import { downloadRoomFile, saveBytes } from "@/features/room-files/room-file-bytes";
import { Modal } from "@/features/ui-tools/modal";
import type { OpenDocument } from "@/features/ui-tools/ui-requests";
import { useRoom } from "@/lib/room/use-room";

/** Largest file shown as text; bigger ones can be downloaded. */
const MAX_TEXT_BYTES = 512 * 1024;

type Loaded =
  | { kind: "loading" }
  | { kind: "text"; text: string; bytes: Uint8Array }
  | { kind: "binary"; bytes: Uint8Array }
  | { kind: "error"; message: string };

function asText(bytes: Uint8Array): string | null {
  if (bytes.length > MAX_TEXT_BYTES) return null;
  try {
    const text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    return /[\u0000-\u0008\u000e-\u001f]/.test(text) ? null : text;
  } catch {
    return null;
  }
}

/** display_document: a room file an agent opened for the person, read through room storage. */
export function DocumentViewer({ document, onClose }: { document: OpenDocument; onClose: () => void }) {
  const id = useId();
  const { client } = useRoom();
  const [loaded, setLoaded] = useState<Loaded>({ kind: "loading" });
  const path = document.args.path.replace(/^\/+/, "");
  const name = path.split("/").pop() || path;

  useEffect(() => {
    if (!client) return;
    let live = true;
    downloadRoomFile(client, path)
      .then((bytes) => {
        if (!live) return;
        const text = asText(bytes);
        setLoaded(text === null ? { kind: "binary", bytes } : { kind: "text", text, bytes });
      })
      .catch((error: unknown) => {
        if (live)
          setLoaded({ kind: "error", message: error instanceof Error ? error.message.slice(0, 200) : "unknown error" });
      });
    return () => {
      live = false;
    };
  }, [client, path]);

  return (
    <Modal titleId={`${id}-title`} onCancel={onClose} testId="document-viewer">
      <div className="space-y-3">
        <div>
          <h2 id={`${id}-title`} className="truncate text-base font-semibold">
            {name}
          </h2>
          <p className="text-xs text-zinc-700 dark:text-zinc-300">
            Opened by {document.asker} · {path}
          </p>
        </div>
        <div className="max-h-[60vh] overflow-auto rounded-md border border-zinc-200 p-3 dark:border-zinc-700">
          {loaded.kind === "loading" ? (
            <p className="text-sm">{client ? "Loading…" : "Not connected to the room."}</p>
          ) : null}
          {loaded.kind === "error" ? (
            <p role="alert" className="text-sm text-red-700 dark:text-red-300">
              Could not open {name}: {loaded.message}
            </p>
          ) : null}
          {loaded.kind === "binary" ? (
            <p className="text-sm">This file cannot be shown here; download it instead.</p>
          ) : null}
          {loaded.kind === "text" ? (
            /\.(md|markdown)$/i.test(name) ? (
              <AgentMarkdown text={loaded.text} />
            ) : (
              <pre data-testid="document-text" className="text-sm whitespace-pre-wrap break-words">
                {loaded.text}
              </pre>
            )
          ) : null}
        </div>
        <div className="flex justify-end gap-2">
          {loaded.kind === "text" || loaded.kind === "binary" ? (
            <Button variant="secondary" onClick={() => saveBytes(loaded.bytes, name)}>
              Download
            </Button>
          ) : null}
          <Button onClick={onClose}>Close</Button>
        </div>
      </div>
    </Modal>
  );
}
