"use client";

import { useId, useState } from "react";
import { Button } from "@/components/ui/button";
import { Modal } from "@/features/ui-tools/modal";
import { CANCELLED_BY_USER, type DialogRequest } from "@/features/ui-tools/ui-requests";
import { describeUploadError, uploadFile } from "@/features/room-files/upload-file";
import type { AskUserForFileArgs } from "@/lib/shared/agent-turn/ui-toolkit";
import { useRoom } from "@/lib/room/use-room";

/** ask_user_for_file: the person picks a file; it goes to room storage and the agent gets its room path. */
export function AskFileDialog({
  request,
  args,
  onFinish,
}: {
  request: DialogRequest;
  args: AskUserForFileArgs;
  onFinish: (key: string, content: Parameters<DialogRequest["respond"]>[0]) => void;
}) {
  const id = useId();
  const { client } = useRoom();
  const [file, setFile] = useState<File | null>(null);
  const [state, setState] = useState<{ busy: boolean; error: string | null }>({ busy: false, error: null });
  const cancel = () => onFinish(request.key, { type: "error", text: CANCELLED_BY_USER });

  async function send() {
    if (!file) return;
    if (!client) return setState({ busy: false, error: "Not connected to the room." });
    setState({ busy: true, error: null });
    try {
      const uploaded = await uploadFile(client, file, () => {});
      onFinish(request.key, { type: "json", json: { path: uploaded.path, name: uploaded.name } });
    } catch (error) {
      setState({ busy: false, error: describeUploadError(error) });
    }
  }

  return (
    <Modal titleId={`${id}-title`} onCancel={cancel} testId="ask-user-for-file">
      <div className="space-y-4">
        <div>
          <h2 id={`${id}-title`} className="text-base font-semibold">
            {args.title}
          </h2>
          <p className="text-xs text-zinc-700 dark:text-zinc-300">{request.asker} asks for a file</p>
          {args.description ? <p className="mt-2 text-sm">{args.description}</p> : null}
        </div>
        <label htmlFor={`${id}-file`} className="block text-sm font-medium">
          File
        </label>
        <input id={`${id}-file`} type="file" onChange={(event) => setFile(event.target.files?.[0] ?? null)} />
        {state.error ? (
          <p role="alert" className="text-sm text-red-700 dark:text-red-300">
            {state.error}
          </p>
        ) : null}
        <div className="flex justify-end gap-2">
          <Button variant="secondary" onClick={cancel}>
            Cancel
          </Button>
          <Button onClick={send} disabled={!file || state.busy}>
            {state.busy ? "Uploading…" : "Submit"}
          </Button>
        </div>
      </div>
    </Modal>
  );
}
