// A local OpenAI-compatible chat-completions server for tests: the model brain
// talks to it over real HTTP with the real `ai` client. Each request is
// answered the way `mode` says at the time it arrives.

import http from "node:http";
import type { AddressInfo } from "node:net";

export type ModelServerMode =
  /** `holdLast`: the last chunk waits for it, so a test can see earlier deltas arrive before the stream ends. */
  | {
      kind: "stream";
      chunks: string[];
      delayMs?: number;
      holdLast?: Promise<void>;
      /** Called right after content chunk `index` is written (benchmarks timestamp the stream with it). */
      onChunk?: (index: number) => void;
    }
  | { kind: "json"; text: string }
  | { kind: "status"; status: number; message: string }
  | { kind: "hang" }
  /** One streamed tool call (finish_reason "tool_calls"). */
  | { kind: "tool"; name: string; arguments: string }
  /** Request n gets modes[n] (the last one repeats), counted from when the mode was set. */
  | { kind: "sequence"; modes: ModelServerMode[] };

interface RecordedRequest {
  body: {
    model?: string;
    stream?: boolean;
    stream_options?: { include_usage?: boolean };
    messages?: { role: string; content: unknown }[];
    tools?: { function?: { name?: string } }[];
  };
  authorization: string | undefined;
  /** The client went away before the response was finished (Stop, timeout). */
  aborted: boolean;
}

export interface ModelServer {
  baseURL: string;
  mode: ModelServerMode;
  readonly requests: RecordedRequest[];
  close(): Promise<void>;
}

function chunk(delta: Record<string, unknown>, finish: string | null = null): string {
  const body = {
    id: "chatcmpl-test",
    object: "chat.completion.chunk",
    created: 1,
    model: "test-model",
    choices: [{ index: 0, delta, finish_reason: finish }],
  };
  return `data: ${JSON.stringify(body)}\n\n`;
}

/** The final usage chunk an OpenAI server sends when asked with stream_options.include_usage. */
function usageChunk(completionTokens: number): string {
  const body = {
    id: "chatcmpl-test",
    object: "chat.completion.chunk",
    created: 1,
    model: "test-model",
    choices: [],
    usage: { prompt_tokens: 11, completion_tokens: completionTokens, total_tokens: 11 + completionTokens },
  };
  return `data: ${JSON.stringify(body)}\n\n`;
}

export async function startModelServer(initial: ModelServerMode): Promise<ModelServer> {
  const requests: RecordedRequest[] = [];
  const sockets = new Set<import("node:net").Socket>();
  const state = { mode: initial, served: 0 };

  const server = http.createServer((req, res) => {
    let raw = "";
    req.setEncoding("utf8");
    req.on("data", (data: string) => (raw += data));
    req.on("end", () => {
      const record: RecordedRequest = {
        body: JSON.parse(raw || "{}") as RecordedRequest["body"],
        authorization: req.headers.authorization,
        aborted: false,
      };
      requests.push(record);
      res.on("close", () => {
        if (!res.writableFinished) record.aborted = true;
      });
      if (req.method !== "POST" || !req.url?.endsWith("/chat/completions")) {
        res.writeHead(404).end();
        return;
      }
      let mode = state.mode;
      if (mode.kind === "sequence") mode = mode.modes[Math.min(state.served++, mode.modes.length - 1)];
      void respond(mode, res, record.body.stream_options?.include_usage === true);
    });
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });

  async function respond(mode: ModelServerMode, res: http.ServerResponse, usage: boolean): Promise<void> {
    switch (mode.kind) {
      case "hang":
        res.writeHead(200, { "Content-Type": "text/event-stream" });
        res.flushHeaders();
        return;
      case "status":
        res.writeHead(mode.status, { "Content-Type": "application/json" });
        res.end(JSON.stringify({ error: { message: mode.message, type: "test_error", code: String(mode.status) } }));
        return;
      case "json":
        res.writeHead(200, { "Content-Type": "application/json" });
        res.end(
          JSON.stringify({
            id: "chatcmpl-test",
            object: "chat.completion",
            created: 1,
            model: "test-model",
            choices: [{ index: 0, message: { role: "assistant", content: mode.text }, finish_reason: "stop" }],
            usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
          }),
        );
        return;
      case "stream": {
        res.writeHead(200, { "Content-Type": "text/event-stream", "Cache-Control": "no-cache" });
        res.write(chunk({ role: "assistant", content: "" }));
        for (const [index, piece] of mode.chunks.entries()) {
          if (res.destroyed) return;
          if (mode.delayMs) await new Promise((resolve) => setTimeout(resolve, mode.delayMs));
          if (mode.holdLast && index === mode.chunks.length - 1) await mode.holdLast;
          res.write(chunk({ content: piece }));
          mode.onChunk?.(index);
        }
        res.write(chunk({}, "stop"));
        if (usage) res.write(usageChunk(mode.chunks.length));
        res.end("data: [DONE]\n\n");
        return;
      }
      case "tool": {
        res.writeHead(200, { "Content-Type": "text/event-stream", "Cache-Control": "no-cache" });
        res.write(
          chunk({
            role: "assistant",
            tool_calls: [
              { index: 0, id: "call_test", type: "function", function: { name: mode.name, arguments: mode.arguments } },
            ],
          }),
        );
        res.write(chunk({}, "tool_calls"));
        if (usage) res.write(usageChunk(1));
        res.end("data: [DONE]\n\n");
        return;
      }
      case "sequence":
        throw new Error("a sequence is resolved per request");
    }
  }

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    get mode() {
      return state.mode;
    },
    set mode(mode: ModelServerMode) {
      state.mode = mode;
      state.served = 0;
    },
    requests,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
