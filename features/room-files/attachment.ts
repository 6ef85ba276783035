import * as z from "zod/mini";
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
const roomFilePath = z.string().check(
  z.maxLength(1024),
  z.refine(
    (path) =>
      path.startsWith(ROOM_FILES_PREFIX) &&
      !/[\u0000-\u001f\u007f\\]/.test(path) &&
      path.split("/").every((segment) => segment !== "" && segment !== "." && segment !== ".."),
  ),
);

export const roomAttachment = z.pipe(
  z.object({
    path: roomFilePath,
    name: z.catch(z.optional(z.string().check(z.maxLength(1024))), undefined),
    size: z.int().check(z.nonnegative(), z.maximum(Number.MAX_SAFE_INTEGER)),
    mimeType: z.catch(
      z.string().check(z.maxLength(100), z.toLowerCase(), z.regex(/^[a-z0-9][a-z0-9.+-]*\/[a-z0-9][a-z0-9.+-]*$/)),
      FALLBACK_TYPE,
    ),
  }),
  z.transform(({ path, name, size, mimeType }): RoomAttachment => ({
    path,
    name: safeFileName(name ?? path.split("/").pop() ?? ""),
    size,
    mimeType,
  })),
);

/**
 * A message's attachments, parsed one by one: a malformed item is dropped, not
 * the whole message; repeats of a path count once; at most MAX_ATTACHMENTS.
 */
export const attachmentList = z.pipe(
  z.catch(z.optional(z.array(z.unknown()).check(z.maxLength(1000))), undefined),
  z.transform((items): RoomAttachment[] | undefined => {
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
  }),
);
