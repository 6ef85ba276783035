// What a turn carries: the person's input (text and room files) and MeshAgent
// `Content` JSON, the shape of tool results and client tool responses.

import * as z from "zod/mini";
import { TURN_LIMITS as L } from "./limits";
import { boundedJson, cappedArray, name, opt, str } from "./fields";

const url = z.string().check(z.minLength(1), z.maxLength(L.url));

/** One item of a turn's input (MeshAgent AgentInputContent). */
const inputContentSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("text"), text: str(L.inputText) }),
  z.object({ type: z.literal("file"), url, name: opt(name) }),
  z.object({ type: z.literal("audio"), url }),
]);
export type InputContent = z.infer<typeof inputContentSchema>;

export const inputContentListSchema = cappedArray(inputContentSchema, L.contentItems);

/** A tool's result or a client tool's response (MeshAgent Content.to_json()). */
export const toolContentSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("json"), json: boundedJson() }),
  z.object({ type: z.literal("text"), text: str(L.resultText) }),
  z.object({ type: z.literal("empty") }),
  z.object({
    type: z.literal("error"),
    text: str(L.errorMessage),
    code: opt(z.union([z.int(), str(L.code)])),
  }),
  z.object({ type: z.literal("link"), name, url }),
  // The file's bytes travel as a binary attachment, never inside the JSON.
  z.object({ type: z.literal("file"), name, mime_type: opt(str(L.name)) }),
]);
export type ToolContent = z.infer<typeof toolContentSchema>;

/**
 * A result a receiver cannot show (binary, raw provider outputs, or over a
 * cap) becomes this instead of losing the whole event it came with.
 */
const UNSUPPORTED_CONTENT = { type: "unsupported" } as const;
export const toolResultSchema = z.catch(
  z.union([toolContentSchema, z.object({ type: z.literal("unsupported") })]),
  UNSUPPORTED_CONTENT,
);
export type ToolResult = z.infer<typeof toolResultSchema>;

const ROOM_URL_PREFIX = "room:///";
// Control characters, and the backslash some file systems treat as a separator.
const UNSAFE_PATH_CHARS = /[\u0000-\u001f\u007f\\]/;

/**
 * The room-relative storage path of a `room:///…` url, or null when the url
 * is not a room url or its path is unsafe (empty segments, `.` or `..`,
 * control characters). Never decodes: the path is what storage will see.
 */
export function roomPathFromUrl(value: string): string | null {
  if (!value.startsWith(ROOM_URL_PREFIX)) return null;
  const path = value.slice(ROOM_URL_PREFIX.length);
  if (path.length === 0 || path.length > L.threadId || UNSAFE_PATH_CHARS.test(path)) return null;
  const segments = path.split("/");
  if (segments.some((segment) => segment === "" || segment === "." || segment === "..")) return null;
  return path;
}

/** The `room:///…` url of a room-relative storage path. */
export function roomUrl(path: string): string {
  return ROOM_URL_PREFIX + path.replace(/^\/+/, "");
}

/** Plain text of a turn's input, files as their names: what a log line or a thread name shows. */
export function inputText(content: readonly InputContent[]): string {
  return content
    .map((item) => (item.type === "text" ? item.text : item.type === "file" ? `[${item.name ?? item.url}]` : ""))
    .filter((part) => part.length > 0)
    .join(" ");
}
