import { PREVIEW_TYPES } from "@/features/room-files/limits";

const startsWith = (bytes: Uint8Array, signature: number[], at = 0) =>
  bytes.length >= at + signature.length && signature.every((byte, i) => bytes[at + i] === byte);

/**
 * The image type the bytes really are, among the previewable ones, or null.
 * A preview uses this, not the type the sender declared: a file called
 * cat.png holding HTML is never handed to the browser as anything renderable.
 */
export function sniffImageType(bytes: Uint8Array): string | null {
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return "image/png";
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return "image/jpeg";
  if (startsWith(bytes, [0x47, 0x49, 0x46, 0x38])) return "image/gif";
  if (startsWith(bytes, [0x52, 0x49, 0x46, 0x46]) && startsWith(bytes, [0x57, 0x45, 0x42, 0x50], 8))
    return "image/webp";
  return null;
}

/** Whether an attachment is worth fetching for a preview at all (declared as a previewable image). */
export function mayPreview(mimeType: string): boolean {
  return PREVIEW_TYPES.has(mimeType);
}
