import type { RoomClient } from "@meshagent/meshagent";

/** Reads a room file through room.storage.download (works the same on the local room and MeshAgent cloud). */
export async function downloadRoomFile(client: RoomClient, path: string): Promise<Uint8Array> {
  const file = await client.storage.download(path);
  return file.data;
}

/**
 * The bytes of a file for an automatic preview, or null when it is larger
 * than `maxBytes`. The size a chat message declares is the sender's word: the
 * room's own size (storage.stat) is checked before anything is fetched, and
 * the download itself stops once it passes `maxBytes` (the file may have been
 * replaced in between). The room sends a chunk only when asked for it, so
 * stopping costs at most one more chunk. `signal` stops it early too.
 */
export async function downloadForPreview(
  client: RoomClient,
  path: string,
  maxBytes: number,
  signal: AbortSignal,
): Promise<Uint8Array | null> {
  const entry = await client.storage.stat(path);
  if (!entry || entry.isFolder || typeof entry.size !== "number" || entry.size > maxBytes) return null;
  signal.throwIfAborted();
  const parts: Uint8Array[] = [];
  let received = 0;
  for await (const chunk of await client.storage.downloadStream(path)) {
    signal.throwIfAborted();
    if (chunk.headers["kind"] === "start") {
      const size = chunk.headers["size"];
      if (typeof size !== "number" || size > maxBytes) return null;
      continue;
    }
    received += chunk.data.length;
    if (received > maxBytes) return null;
    parts.push(chunk.data);
  }
  const bytes = new Uint8Array(received);
  let offset = 0;
  for (const part of parts) {
    bytes.set(part, offset);
    offset += part.length;
  }
  return bytes;
}

/** Hands bytes to the browser as a file download. The type is fixed to octet-stream: the browser saves, never renders. */
export function saveBytes(bytes: Uint8Array, name: string): void {
  const url = URL.createObjectURL(new Blob([bytes as BlobPart], { type: "application/octet-stream" }));
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  link.rel = "noopener";
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
