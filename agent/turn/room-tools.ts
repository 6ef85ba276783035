// The demo agent's own tools, shared by its offline commands and its model:
// who is here, list room files, read a text file, save a text file (asks for
// approval first), and a slow tool with log lines. Each runs as a tool call
// item of the turn (tool_call.pending → started → log_delta* → ended).
//
// They reach room storage only under files/ (the room's shared files), never
// the agent's own .threads/ folder: a tool must not become a way to read
// another participant's thread.

import { ROOM_FILES_PREFIX } from "../../lib/shared/room-paths";
import type { ToolContent } from "../../lib/shared/agent-turn/content";
import { BrainError, type RoomView } from "../brain/types";
import type { ToolCallWriter, TurnOutput } from "./brain";
import { FileTooLargeError, type RoomFiles, type StoredFile } from "./port";

/** Toolkit name the agent's own tools are reported under. */
const ROOM_TOOLKIT = "room";
/** Largest text file read_room_file returns. */
const MAX_READ_BYTES = 64 * 1024;
/** Files listed at most. */
const MAX_LISTED = 200;

export class ToolFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ToolFailure";
  }
}

/**
 * A room-relative path under files/, from what a person or model wrote
 * ("notes.md", "files/notes.md", "/files/a/b.txt"); null when it leaves files/.
 */
export function filesPath(value: string): string | null {
  const trimmed = value.trim().replace(/^\/+/, "");
  const path = trimmed.startsWith(ROOM_FILES_PREFIX) ? trimmed : `${ROOM_FILES_PREFIX}${trimmed}`;
  const rest = path.slice(ROOM_FILES_PREFIX.length);
  if (rest === "" || path.length > 512) return null;
  if (/[\u0000-\u001f\u007f\\]/.test(path)) return null;
  if (rest.split("/").some((segment) => segment === "" || segment === "." || segment === "..")) return null;
  return path;
}

function requireFilesPath(value: string): string {
  const path = filesPath(value);
  if (path === null) throw new ToolFailure(`"${value.slice(0, 100)}" is not a file under ${ROOM_FILES_PREFIX}`);
  return path;
}

/** Room storage as the brains see it: under files/ only. */
export function roomToolsFiles(get: () => RoomFiles | null): RoomFiles {
  const files = () => {
    const current = get();
    if (!current) throw new ToolFailure("I'm not connected to the room right now.");
    return current;
  };
  return {
    stat: (path) => files().stat(requireFilesPath(path)),
    list: (folder) => {
      const path =
        folder.replace(/\/+$/, "") === ROOM_FILES_PREFIX.replace(/\/$/, "") ? "files" : requireFilesPath(folder);
      return files().list(path);
    },
    read: (path, maxBytes) => files().read(requireFilesPath(path), maxBytes),
    write: (path, bytes) => files().write(requireFilesPath(path), bytes),
    delete: (path) => files().delete(requireFilesPath(path)),
  };
}

/**
 * Runs `work` as one tool call item: pending, (approval,) started, its log
 * lines, and ended with its result or error. Resolves with the result; a
 * failure is reported in the item and rethrown as a ToolFailure.
 */
export async function runTool(
  out: TurnOutput,
  tool: string,
  args: Record<string, unknown>,
  work: (call: ToolCallWriter) => Promise<ToolContent>,
  options: { toolkit?: string; approval?: boolean } = {},
): Promise<ToolContent> {
  const toolkit = options.toolkit ?? ROOM_TOOLKIT;
  const call = out.toolCall(toolkit, tool, args);
  if (options.approval && !(await out.approval(call, toolkit, tool, args))) {
    call.end({ error: "rejected by the user" });
    throw new ToolFailure("You did not approve it, so I left it alone.");
  }
  call.started();
  try {
    const result = await work(call);
    if (result.type === "error") {
      call.end({ error: result.text });
      throw new ToolFailure(result.text);
    }
    call.end({ result });
    return result;
  } catch (error) {
    const message = error instanceof ToolFailure ? error.message : describeToolError(error);
    call.end({ error: message });
    throw error instanceof ToolFailure ? error : new ToolFailure(message);
  }
}

function describeToolError(error: unknown): string {
  if (error instanceof FileTooLargeError) return `${error.path} is too large for me to read (${error.size} bytes).`;
  if (error instanceof BrainError) return error.userMessage;
  const message = error instanceof Error ? error.message : String(error);
  return message.slice(0, 300) || "the tool failed";
}

// ---- the tools ----------------------------------------------------------------

export function whoIsHere(room: RoomView): { name: string; role: string }[] {
  return room
    .participants()
    .map((p) => ({ name: p.name.slice(0, 100), role: p.role }))
    .sort((a, b) => a.name.localeCompare(b.name))
    .slice(0, 100);
}

export async function listRoomFiles(files: RoomFiles, folder = ROOM_FILES_PREFIX): Promise<StoredFile[]> {
  const entries = await files.list(folder);
  return entries
    .sort((a, b) => (b.updatedAt ?? "").localeCompare(a.updatedAt ?? "") || a.path.localeCompare(b.path))
    .slice(0, MAX_LISTED);
}

export async function readTextFile(files: RoomFiles, path: string): Promise<{ path: string; text: string }> {
  const target = requireFilesPath(path);
  const bytes = await files.read(target, MAX_READ_BYTES);
  if (bytes === null) throw new ToolFailure(`There is no file ${target}.`);
  if (bytes.includes(0)) throw new ToolFailure(`${target} is not a text file.`);
  return { path: target, text: new TextDecoder().decode(bytes) };
}

export async function saveTextFile(
  files: RoomFiles,
  path: string,
  text: string,
): Promise<{ path: string; size: number }> {
  const target = requireFilesPath(path);
  const bytes = new TextEncoder().encode(text);
  if (bytes.length > MAX_READ_BYTES) throw new ToolFailure(`That is too much text to save (${bytes.length} bytes).`);
  await files.write(target, bytes);
  return { path: target, size: bytes.length };
}

/** A slow tool that reports progress as log lines: a pretend build of `steps` steps. */
export async function slowBuild(call: ToolCallWriter, signal: AbortSignal, steps = 6, stepMs = 400) {
  for (let step = 1; step <= steps; step++) {
    await sleep(stepMs, signal);
    call.log([{ source: "stdout", text: `step ${step}/${steps}: compiled module-${step}.ts` }]);
    if (step === Math.ceil(steps / 2))
      call.log([{ source: "stderr", text: "warning: module-3.ts has an unused import" }]);
  }
  return { type: "json", json: { ok: true, steps, warnings: 1 } } as const;
}

export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener("abort", onAbort, { once: true });
  });
}
