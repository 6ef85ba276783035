// The model turn brain through the real `ai` client against a local
// OpenAI-compatible server, in the real local room: streamed deltas, usage,
// Stop aborting the model request, a steer continuing the same turn, tools
// (room tools and the browser's ui tools), and model errors.

import { afterEach, describe, expect, it } from "vitest";
import { useHarness, waitFor } from "../../tooling/dev-room/test-helpers";
import { UI_CLIENT_TOOLS } from "../../lib/shared/agent-turn/ui-toolkit";
import { startModelServer, type ModelServer, type ModelServerMode } from "../openai-test-server";
import { createModelTurnBrain } from "./model-turn";
import { joinTurnBrowser, useTurnAgent, type TurnBrowser } from "./test-support";

const ROOM = "turn-model";
const h = useHarness({ dataDir: "turn-model-" });
const agent = useTurnAgent(h, ROOM);
let model: ModelServer | null = null;

afterEach(async () => {
  await model?.close();
  model = null;
});

async function setup(mode: ModelServerMode): Promise<TurnBrowser> {
  model = await startModelServer(mode);
  await agent.start({
    turnBrain: createModelTurnBrain({
      apiKey: "test-key",
      baseURL: model.baseURL,
      model: "test-model",
      timeoutMs: 5000,
    }),
  });
  return joinTurnBrowser(h, "alice", ROOM);
}

const slowStream = (n: number, delayMs: number): ModelServerMode => ({
  kind: "stream",
  chunks: Array.from({ length: n }, (_, i) => `word${i} `),
  delayMs,
});

describe("the model turn brain", () => {
  it("streams the model's deltas as text_content deltas as they arrive, then usage", async () => {
    let release = () => {};
    const holdLast = new Promise<void>((resolve) => (release = resolve));
    const alice = await setup({ kind: "stream", chunks: ["Hello", " there", "!"], holdLast });
    const { turnId } = await alice.startThread("hi");
    // The model has not finished its answer yet: what arrived so far was streamed, not buffered to the end.
    await waitFor(() => alice.of("meshagent.agent.text_content.delta").length >= 2, "deltas before the end", 5000);
    expect(alice.of("meshagent.agent.turn.ended")).toEqual([]);
    release();
    const ended = await alice.ended(turnId);
    expect(ended.error).toBeUndefined();
    const deltas = alice.seen.filter((s) => s.event.type === "meshagent.agent.text_content.delta");
    expect(deltas.map((s) => (s.event as { text: string }).text)).toEqual(["Hello", " there", "!"]);
    expect(alice.of("meshagent.agent.usage.updated")[0]).toMatchObject({
      turn_id: turnId,
      usage: { input_tokens: 11, output_tokens: 3, total_tokens: 14 },
      context_window: { used_tokens: 14 },
    });
    await alice.next("meshagent.agent.thread.status", (e) => e.status === undefined);
    expect(alice.of("meshagent.agent.thread.status").map((e) => e.status)).toEqual(["Thinking", "Writing", undefined]);
    // the person's words reached the model, as data
    const body = model!.requests[0].body;
    expect(body.messages?.at(-1)).toEqual({ role: "user", content: "hi" });
    expect(String(body.messages?.[0].content)).toContain('the participant named "alice"');
  });

  it("aborts the model request on Stop", async () => {
    const alice = await setup(slowStream(40, 100));
    const { threadId, turnId } = await alice.startThread("tell me a long story");
    await waitFor(() => alice.of("meshagent.agent.text_content.delta").length >= 2, "two deltas", 5000);
    await alice.send("meshagent.agent.turn.interrupt", { thread_id: threadId, turn_id: turnId });
    expect((await alice.ended(turnId)).error?.code).toBe("cancelled");
    await waitFor(() => model!.requests[0].aborted, "model request aborted", 3000);
    const count = alice.of("meshagent.agent.text_content.delta").length;
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(alice.of("meshagent.agent.text_content.delta")).toHaveLength(count);
  });

  it("joins a steer to the running turn: the request restarts with the steer as the newest message", async () => {
    const alice = await setup({
      kind: "sequence",
      modes: [slowStream(40, 100), { kind: "stream", chunks: ["Sure, short."] }],
    });
    const { threadId, turnId } = await alice.startThread("tell me a long story");
    await waitFor(() => alice.of("meshagent.agent.text_content.delta").length >= 2, "two deltas", 5000);
    const steer = await alice.send("meshagent.agent.turn.steer", {
      thread_id: threadId,
      turn_id: turnId,
      content: [{ type: "text", text: "keep it short" }],
    });
    await alice.next("meshagent.agent.turn.steered", (e) => e.source_message_id === steer.message_id);
    expect((await alice.ended(turnId)).error).toBeUndefined();
    expect(alice.answer(turnId)).toMatch(/^word0 word1 .*Sure, short\.$/);
    expect(alice.of("meshagent.agent.turn.started")).toHaveLength(1);
    expect(model!.requests).toHaveLength(2);
    expect(model!.requests[0].aborted).toBe(true);
    const second = model!.requests[1].body.messages ?? [];
    expect(second.at(-1)).toEqual({ role: "user", content: "keep it short" });
    expect(second.at(-2)?.role).toBe("assistant");
  });

  it("runs room tools as tool call items and feeds their results back to the model", async () => {
    const alice = await setup({
      kind: "sequence",
      modes: [
        { kind: "tool", name: "list_room_files", arguments: "{}" },
        { kind: "stream", chunks: ["One file."] },
      ],
    });
    await alice.room.storage.upload("files/a.txt", new TextEncoder().encode("abc"));
    const { turnId } = await alice.startThread("what files are here?");
    await alice.ended(turnId);
    const ended = alice.of("meshagent.agent.tool_call.ended", (e) => e.turn_id === turnId);
    expect(ended).toEqual([
      expect.objectContaining({
        toolkit: "room",
        tool: "list_room_files",
        result: expect.objectContaining({ type: "json" }),
      }),
    ]);
    expect(alice.answer(turnId)).toBe("One file.");
    expect(model!.requests[0].body.tools?.map((t) => t.function?.name).sort()).toEqual([
      "list_room_files",
      "read_room_file",
      "save_room_file",
      "who_is_here",
    ]);
    expect(JSON.stringify(model!.requests[1].body.messages)).toContain("files/a.txt");
  });

  it("calls the browser's ui tools when offered, through client_tool_call", async () => {
    const alice = await setup({
      kind: "sequence",
      modes: [
        { kind: "tool", name: "show_toast", arguments: JSON.stringify({ title: "Hi", description: "from the model" }) },
        { kind: "stream", chunks: ["Toasted."] },
      ],
    });
    const { threadId, turnId } = await alice.startThread("toast me", { client_toolkits: [...UI_CLIENT_TOOLS] });
    const request = await alice.next("meshagent.agent.client_tool_call.requested", (e) => e.turn_id === turnId);
    expect(request).toMatchObject({ tool: "show_toast", arguments: { title: "Hi", description: "from the model" } });
    await alice.send("meshagent.agent.client_tool_call.response", {
      thread_id: threadId,
      turn_id: turnId,
      request_id: request.request_id,
      response: { type: "empty" },
    });
    await alice.ended(turnId);
    expect(alice.answer(turnId)).toBe("Toasted.");
    expect(model!.requests[0].body.tools?.map((t) => t.function?.name)).toContain("ask_user");
  });

  it("ends the turn with a sentence when the model fails, and answers the next turn", async () => {
    const alice = await setup({ kind: "status", status: 401, message: "bad key" });
    const { threadId, turnId } = await alice.startThread("hi");
    expect((await alice.ended(turnId)).error?.message).toMatch(/check OPENAI_API_KEY/);
    model!.mode = { kind: "stream", chunks: ["Back."] };
    const next = await alice.turn(threadId, "again");
    await alice.ended(next);
    expect(alice.answer(next)).toBe("Back.");
    // the history it sends holds the first question, not the failure
    expect(model!.requests.at(-1)!.body.messages?.filter((m) => m.role !== "system")).toEqual([
      { role: "user", content: "hi" },
      { role: "user", content: "again" },
    ]);
  });
});
