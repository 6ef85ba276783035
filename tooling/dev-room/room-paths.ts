// Room-relative paths for storage and sync. Everything a client names must stay
// inside its room's folder, so anything that could step outside is refused
// before it reaches the file system.

import { ErrorCode, RequestError } from "./content";

const MAX_PATH_BYTES = 1024;
const MAX_SEGMENT_BYTES = 255;

function refuse(path: string, why: string): RequestError {
  return new RequestError(`invalid path ${JSON.stringify(path)}: ${why}`, ErrorCode.INVALID_REQUEST);
}

/**
 * Validates a client path and returns it normalised ("a/b", no trailing "/").
 * `allowRoot` accepts "" (and "/" is still refused) for listing the room's top folder.
 */
export function roomPath(value: unknown, { allowRoot = false }: { allowRoot?: boolean } = {}): string {
  if (typeof value !== "string")
    throw new RequestError("invalid arguments: path must be a string", ErrorCode.INVALID_REQUEST);
  const path = value;
  if (path.includes("\0")) throw refuse(path, "NUL characters are not allowed");
  if (path.includes("\\")) throw refuse(path, "backslashes are not allowed, use /");
  if (path.startsWith("/")) throw refuse(path, "absolute paths are not allowed, use a path relative to the room");
  if (Buffer.byteLength(path) > MAX_PATH_BYTES) throw refuse(path, `longer than ${MAX_PATH_BYTES} bytes`);
  const trimmed = path.endsWith("/") ? path.slice(0, -1) : path;
  if (trimmed === "") {
    if (allowRoot) return "";
    throw refuse(path, "a file path is required");
  }
  for (const segment of trimmed.split("/")) {
    if (segment === "") throw refuse(path, "empty path segments (//) are not allowed");
    if (segment === "." || segment === "..") throw refuse(path, `"${segment}" segments are not allowed`);
    if (Buffer.byteLength(segment) > MAX_SEGMENT_BYTES)
      throw refuse(path, `a segment is longer than ${MAX_SEGMENT_BYTES} bytes`);
    if (/[\u0000-\u001f]/.test(segment)) throw refuse(path, "control characters are not allowed");
  }
  return trimmed;
}

/** The SDK's sync client strips leading "./" and "/" before sending (normalizeSyncPath). */
export function syncPath(value: unknown): string {
  if (typeof value !== "string")
    throw new RequestError("invalid arguments: path must be a string", ErrorCode.INVALID_REQUEST);
  let path = value;
  for (;;) {
    if (path.startsWith("./")) path = path.slice(2);
    else if (path.startsWith("/")) path = path.slice(1);
    else break;
  }
  return roomPath(path);
}

export function baseName(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1);
}

// Same table as the SDK's upload default (storage-client.js), so a download
// reports the type an upload would have guessed.
const MIME_BY_SUFFIX: [string, string][] = [
  [".tar.gz", "application/x-tar"],
  [".tgz", "application/x-tar"],
  [".bin", "application/octet-stream"],
  [".css", "text/css"],
  [".csv", "text/csv"],
  [".gif", "image/gif"],
  [".gz", "application/gzip"],
  [".htm", "text/html"],
  [".html", "text/html"],
  [".jpeg", "image/jpeg"],
  [".jpg", "image/jpeg"],
  [".js", "text/javascript"],
  [".json", "application/json"],
  [".md", "text/markdown"],
  [".mp3", "audio/mpeg"],
  [".mp4", "video/mp4"],
  [".pdf", "application/pdf"],
  [".png", "image/png"],
  [".svg", "image/svg+xml"],
  [".tar", "application/x-tar"],
  [".txt", "text/plain"],
  [".ts", "text/typescript"],
  [".tsx", "text/tsx"],
  [".wasm", "application/wasm"],
  [".webp", "image/webp"],
  [".xml", "application/xml"],
  [".yaml", "application/yaml"],
  [".yml", "application/yaml"],
  [".zip", "application/zip"],
];

export function mimeTypeOf(name: string): string {
  const lower = name.toLowerCase();
  for (const [suffix, type] of MIME_BY_SUFFIX) if (lower.endsWith(suffix)) return type;
  return "application/octet-stream";
}
