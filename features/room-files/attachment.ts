import { z } from "zod";
import { safeFileName } from "@/features/room-files/file-names";
import { MAX_ATTACHMENTS } from "@/features/room-files/limits";
import { ROOM_FILES_PREFIX } from "@/lib/shared/room-paths";

/** A file in the room's storage, as a chat message refers to it. */
export interface RoomAttachment {
  path: string;
  name: string;
  size: number;
  mimeType: string;
}

const FALLBACK_TYPE = "application/octet-stream";

/**
 * Only paths this page may read (the token's storage grant) and that cannot
 * climb out of it: room-relative, no "." or ".." segments, no empty segments,
 * no backslashes or control characters.
 */
const roomFilePath = z
  .string()
  .max(1024)
  .refine(
    (path) =>
      path.startsWith(ROOM_FILES_PREFIX) &&
      !/[\u0000-\u001f\u007f\\]/.test(path) &&
      path.split("/").every((segment) => segment !== "" && segment !== "." && segment !== ".."),
  );

export const roomAttachment = z
  .object({
    path: roomFilePath,
    name: z.string().max(1024).optional().catch(undefined),
    size: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
    mimeType: z
      .string()
      .max(100)
      .transform((type) => type.toLowerCase())
      .pipe(z.string().regex(/^[a-z0-9][a-z0-9.+-]*\/[a-z0-9][a-z0-9.+-]*$/))
      .catch(FALLBACK_TYPE),
  })
  .transform(({ path, name, size, mimeType }): RoomAttachment => ({
    path,
    name: safeFileName(name ?? path.split("/").pop() ?? ""),
    size,
    mimeType,
  }));

/**
 * A message's attachments, parsed one by one: a malformed item is dropped, not
 * the whole message; repeats of a path count once; at most MAX_ATTACHMENTS.
 */
export const attachmentList = z
  .array(z.unknown())
  .max(1000)
  .optional()
  .catch(undefined)
  .transform((items): RoomAttachment[] | undefined => {
    if (!items) return undefined;
    const seen = new Set<string>();
    const attachments: RoomAttachment[] = [];
    for (const item of items) {
      const parsed = roomAttachment.safeParse(item);
      if (!parsed.success || seen.has(parsed.data.path)) continue;
      seen.add(parsed.data.path);
      attachments.push(parsed.data);
      if (attachments.length === MAX_ATTACHMENTS) break;
    }
    return attachments.length > 0 ? attachments : undefined;
  });
