/**
 * The heap of a server the bench started with `--inspect=127.0.0.1:0`, read
 * over the DevTools protocol: a full garbage collection on demand and
 * `process.memoryUsage()` afterwards. That tells memory a server still holds
 * (a leak) from garbage V8 has not collected yet, without --expose-gc or
 * any code in the app.
 */

import WebSocket from "ws";
import { waitForOutput, type Managed } from "./proc";

interface HeapReading {
  rss: number;
  heapTotal: number;
  heapUsed: number;
  external: number;
}

interface Inspector {
  /** A full, compacting collection (what V8 does on a low-memory notification). */
  collectGarbage(): Promise<void>;
  memoryUsage(): Promise<HeapReading>;
  close(): void;
}

/** Connects to the inspector a process announced on stderr ("Debugger listening on ws://…"). */
export async function connectInspector(proc: Managed): Promise<Inspector> {
  const [, address] = await waitForOutput(proc, /Debugger listening on (ws:\/\/\S+)/, 30_000);
  const socket = new WebSocket(address!);
  await new Promise<void>((resolve, reject) => {
    socket.once("open", () => resolve());
    socket.once("error", reject);
  });
  let nextId = 1;
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  socket.on("message", (data) => {
    const message = JSON.parse(String(data)) as { id?: number; result?: unknown; error?: { message: string } };
    const waiter = message.id === undefined ? undefined : pending.get(message.id);
    if (!waiter) return;
    pending.delete(message.id!);
    if (message.error) waiter.reject(new Error(message.error.message));
    else waiter.resolve(message.result);
  });
  socket.on("close", () => {
    for (const waiter of pending.values()) waiter.reject(new Error("inspector closed"));
    pending.clear();
  });
  const send = (method: string, params: object = {}) =>
    new Promise<unknown>((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve, reject });
      socket.send(JSON.stringify({ id, method, params }));
    });
  return {
    async collectGarbage() {
      await send("HeapProfiler.collectGarbage");
    },
    async memoryUsage() {
      const result = (await send("Runtime.evaluate", {
        expression: "JSON.stringify(process.memoryUsage())",
        returnByValue: true,
      })) as { result: { value: string } };
      return JSON.parse(result.result.value) as HeapReading;
    },
    close: () => socket.close(),
  };
}
