import type { RoomClient } from "@meshagent/meshagent";

/** Reads a room file through room.storage.download (works the same on the local room and MeshAgent cloud). */
export async function downloadRoomFile(client: RoomClient, path: string): Promise<Uint8Array> {
  const file = await client.storage.download(path);
  return file.data;
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
