import type { RoomClient } from "@meshagent/meshagent";
import type { RoomAttachment } from "@/features/room-files/attachment";
import { uploadPath } from "@/features/room-files/file-names";
import { formatSize } from "@/features/room-files/format-size";
import { MAX_UPLOAD_BYTES } from "@/features/room-files/limits";

/** Bytes read from the file per step; the room pulls in its own chunk size, and progress moves per step. */
const READ_BYTES = 64 * 1024;

/** Why a file cannot be attached before anything is sent, or null if it can. */
export function refuseBeforeUpload(file: { name: string; size: number }): string | null {
  if (file.size > MAX_UPLOAD_BYTES) {
    return `${file.name} is too large (${formatSize(file.size)}); files up to ${formatSize(MAX_UPLOAD_BYTES)} can be attached.`;
  }
  return null;
}

/** The room's refusal in words for the person who attached the file (room errors are untrusted text: bounded). */
export function describeUploadError(error: unknown): string {
  const raw = error instanceof Error ? error.message : String(error);
  const text = raw.replace(/\s+/g, " ").trim().slice(0, 200);
  if (/permission|denied|not allowed/i.test(text)) return `The room does not allow this upload (${text}).`;
  return `Upload failed: ${text || "the room did not say why"}.`;
}

/**
 * Uploads `file` into the room's storage through room.storage (the same call
 * works against MeshAgent cloud), reporting progress as bytes are handed to
 * the room, which pulls them as it writes.
 */
export async function uploadFile(
  client: RoomClient,
  file: File,
  onProgress: (sent: number) => void,
): Promise<RoomAttachment> {
  const refusal = refuseBeforeUpload(file);
  if (refusal) throw new Error(refusal);
  const path = uploadPath(file.name);
  const mimeType = file.type || "application/octet-stream";

  async function* chunks(): AsyncGenerator<Uint8Array> {
    for (let offset = 0; offset < file.size; offset += READ_BYTES) {
      const bytes = new Uint8Array(await file.slice(offset, offset + READ_BYTES).arrayBuffer());
      yield bytes;
      onProgress(Math.min(file.size, offset + bytes.length));
    }
  }

  await client.storage.uploadStream(path, chunks(), {
    overwrite: false,
    size: file.size,
    name: path.split("/").pop(),
    mimeType,
  });
  onProgress(file.size);
  return { path, name: path.split("/").pop() ?? "file", size: file.size, mimeType };
}
