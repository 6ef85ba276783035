// Document-sync test scaffolding: silencing of the SDK's per-change log line,
// and sync.open driven by hand from a raw socket (hostile or malformed updates).
// The notes schema and reader are in tooling/testing/notes-document.ts.

import * as Y from "yjs";
import { expect, vi } from "vitest";
import { waitFor, type RawClient } from "./test-helpers";
import type { JsonObject } from "./framing";

/** sync's runtime logs every applied change (document.js); thousands of lines would drown the output. */
export function silenceSyncLog(): void {
  const original = console.log;
  vi.spyOn(console, "log").mockImplementation((...args: unknown[]) => {
    if (args[0] === "Applying changes to doc:" || args[0] === "GOT RESPONSE") return;
    original(...args);
  });
}

export interface RawStream {
  toolCallId: string;
  chunks: { header: JsonObject; payload: Uint8Array }[];
  /** Sends a request chunk and returns the content of its __response__. */
  sendChunk(chunk: JsonObject, payload?: Uint8Array): Promise<JsonObject>;
}

/** Opens sync.open by hand, the way RoomClient.invokeStream does, and collects response chunks. */
export async function openRaw(raw: RawClient, docPath: string, schema: JsonObject | null): Promise<RawStream> {
  const toolCallId = `raw-${Math.random().toString(16).slice(2)}`;
  const chunks: RawStream["chunks"] = [];
  const seen = new Set<unknown>();
  const collect = () => {
    for (const m of raw.received) {
      if (seen.has(m) || m.type !== "room.tool_call_response_chunk") continue;
      seen.add(m);
      const header = raw.headerOf(m);
      if (header.tool_call_id !== toolCallId) continue;
      const body = m.data;
      const jsonLength = new DataView(body.buffer, body.byteOffset).getUint32(4);
      chunks.push({ header: header.chunk as JsonObject, payload: body.subarray(8 + jsonLength) });
    }
  };
  const timer = setInterval(collect, 2);
  raw.socket.once("close", () => clearInterval(timer));
  const response = async (id: number): Promise<JsonObject> => {
    const m = await raw.next((x) => x.type === "__response__" && x.id === id, `response ${id}`);
    return raw.headerOf(m);
  };
  const open = raw.send("room.invoke_tool", {
    toolkit: "sync",
    tool: "open",
    tool_call_id: toolCallId,
    arguments: { type: "control", method: "open" },
  });
  expect(await response(open)).toEqual({ type: "control", method: "open" });
  const stream: RawStream = {
    toolCallId,
    chunks,
    async sendChunk(chunk, payload) {
      return response(raw.send("room.tool_call_request_chunk", { tool_call_id: toolCallId, chunk }, payload));
    },
  };
  await stream.sendChunk({
    type: "binary",
    headers: {
      kind: "start",
      path: docPath,
      create: true,
      vector: null,
      schema,
      schema_path: null,
      initial_json: null,
    },
  });
  await waitFor(() => (collect(), chunks.length > 0), "state chunk");
  return stream;
}

/** Sends one Yjs update on a raw stream; the sender sees only the response (acceptance shows in other clients). */
export async function sendUpdate(stream: RawStream, update: Uint8Array): Promise<void> {
  const payload = new TextEncoder().encode(Buffer.from(update).toString("base64"));
  expect(await stream.sendChunk({ type: "binary", headers: { kind: "sync" } }, payload)).toEqual({ type: "empty" });
}

/** Sends an update that must be refused; returns the error text the stream ended with. */
export async function refusalOf(stream: RawStream, update: Uint8Array): Promise<string> {
  const before = stream.chunks.length;
  await sendUpdate(stream, update);
  await waitFor(() => stream.chunks.slice(before).some((c) => c.header.type === "error"), "an error chunk");
  const error = stream.chunks.slice(before).find((c) => c.header.type === "error")!;
  expect(error.header.code).toBe(1002);
  expect(stream.chunks.at(-1)!.header).toMatchObject({ type: "control", method: "close" });
  return String(error.header.text);
}

/** The document state a raw stream's first chunk carried, as a Y.Doc to build further updates on. */
export function mirrorOf(stream: RawStream): Y.Doc {
  const mirror = new Y.Doc();
  const text = new TextDecoder().decode(stream.chunks[0].payload);
  if (text.length > 0) Y.applyUpdate(mirror, Buffer.from(text, "base64"));
  return mirror;
}
