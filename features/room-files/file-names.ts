import { withoutUnsafeCharacters } from "@/lib/shared/display-name";
import { ROOM_FILES_PREFIX } from "@/lib/shared/room-paths";

const MAX_NAME_LENGTH = 120;

/**
 * A file name that is safe as the last segment of a room path and to show:
 * no folders, no line breaks, direction controls or invisible characters
 * (removed as display names clean them, lib/shared/display-name.ts), none of the characters
 * file systems or URLs trip over, not "." or "..", at most 120 characters
 * with the extension kept. Never empty.
 */
export function safeFileName(name: string): string {
  const lastSegment = name.split(/[\\/]/).pop() ?? "";
  const cleaned = withoutUnsafeCharacters(lastSegment.normalize("NFC"), "")
    .replace(/[<>:"|?*#%&{}$!'`@+=;,^~[\]]/g, "_")
    .replace(/\s+/g, " ")
    .trim()
    .replace(/^\.+/, "");
  const name120 = cutKeepingExtension(cleaned, MAX_NAME_LENGTH).trim();
  return name120.length > 0 ? name120 : "file";
}

function cutKeepingExtension(name: string, max: number): string {
  const chars = Array.from(name);
  if (chars.length <= max) return name;
  const dot = name.lastIndexOf(".");
  const extension = dot > 0 ? Array.from(name.slice(dot)) : [];
  if (extension.length === 0 || extension.length > 16) return chars.slice(0, max).join("");
  return chars.slice(0, max - extension.length).join("") + extension.join("");
}

/** Where an attachment is uploaded: a fresh folder per file, so two files with one name never collide. */
export function uploadPath(fileName: string, id: string = crypto.randomUUID()): string {
  return `${ROOM_FILES_PREFIX}uploads/${id}/${safeFileName(fileName)}`;
}
