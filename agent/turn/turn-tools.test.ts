// The demo agent's tools over the turn protocol in the real local room: files
// given to it, tool calls with logs, approvals, and the browser's `ui` tools
// called as client tools (answered, cancelled, not offered).

import { describe, expect, it } from "vitest";
import { useHarness, waitFor } from "../../tooling/dev-room/test-helpers";
import { buildClientRequest } from "../../lib/shared/agent-turn/build";
import { UI_CLIENT_TOOLS } from "../../lib/shared/agent-turn/ui-toolkit";
import { joinTurnBrowser, useTurnAgent, type TurnBrowser } from "./test-support";
import type { TurnAgentLimits } from "./turn-agent";

const ROOM = "turn-tools";
const h = useHarness({ dataDir: "turn-tools-" });
const agent = useTurnAgent(h, ROOM);

async function setup(turnLimits: TurnAgentLimits = {}): Promise<TurnBrowser> {
  await agent.start({ turnLimits });
  return joinTurnBrowser(h, "alice", ROOM);
}

async function upload(browser: TurnBrowser, path: string, text: string): Promise<void> {
  await browser.room.storage.upload(path, new TextEncoder().encode(text), { overwrite: true });
}

describe("files", () => {
  it("answers a file given as room:/// content with its name and size", async () => {
    const alice = await setup();
    await upload(alice, "files/notes.txt", "twelve bytes");
    const { turnId } = await alice.startThread("", {
      content: [
        { type: "text", text: "what is this?" },
        { type: "file", url: "room:///files/notes.txt", name: "notes.txt" },
      ],
    });
    await alice.ended(turnId);
    expect(alice.answer(turnId)).toContain("**notes.txt**: 12 bytes");
    expect(alice.answer(turnId)).toContain("You also wrote: `what is this?`");
  });

  it("refuses a file that is not a room url, before accepting the turn", async () => {
    const alice = await setup();
    const request = await alice.send("meshagent.agent.thread.start", {
      content: [{ type: "file", url: "https://evil.example/x.png", name: "x.png" }],
    });
    const refused = await alice.next(
      "meshagent.agent.turn.start.rejected",
      (e) => e.source_message_id === request.message_id,
    );
    expect(refused).toMatchObject({ thread_id: "", error: { code: "invalid_content" } });
  });

  it("lists, reads and points to room files, and never reaches its own thread folder", async () => {
    const alice = await setup();
    await upload(alice, "files/readme.md", "# Hello\nfrom the room");
    const { threadId, turnId } = await alice.startThread("files");
    await alice.ended(turnId);
    expect(alice.answer(turnId)).toContain("| `files/readme.md` | 21 bytes |");
    const call = alice.of("meshagent.agent.tool_call.ended", (e) => e.turn_id === turnId)[0];
    expect(call).toMatchObject({ toolkit: "room", tool: "list_room_files", result: { type: "json" } });

    const read = await alice.turn(threadId, "read readme.md");
    await alice.ended(read);
    expect(alice.answer(read)).toContain("# Hello\nfrom the room");

    const file = await alice.turn(threadId, "file");
    await alice.ended(file);
    const delta = alice.of("meshagent.agent.file_content.delta", (e) => e.turn_id === file);
    expect(delta.map((e) => e.url)).toEqual(["room:///files/readme.md"]);

    const sneaky = await alice.turn(threadId, `read ../.threads/assistant/index.json`);
    await alice.ended(sneaky);
    expect(alice.answer(sneaky)).toContain("is not a file under files/");
    expect(alice.of("meshagent.agent.tool_call.ended", (e) => e.turn_id === sneaky)[0].error?.message).toMatch(
      /not a file under files\//,
    );
  });
});

describe("tool calls", () => {
  it("streams a slow tool's events: pending, started, stdout and stderr lines, ended with its result", async () => {
    const alice = await setup();
    const { turnId } = await alice.startThread("build");
    await alice.ended(turnId);
    const events = alice.events.filter((e) => e.type.includes("tool_call") && "turn_id" in e && e.turn_id === turnId);
    const kinds = events.map((e) => e.type.replace("meshagent.agent.tool_call.", ""));
    expect(kinds[0]).toBe("pending");
    expect(kinds[1]).toBe("started");
    expect(kinds.at(-1)).toBe("ended");
    expect(kinds.filter((k) => k === "log_delta")).toHaveLength(7);
    const lines = alice.of("meshagent.agent.tool_call.log_delta", (e) => e.turn_id === turnId).flatMap((e) => e.lines);
    expect(lines.filter((l) => l.source === "stderr")).toHaveLength(1);
    expect(lines[0]).toEqual({ source: "stdout", text: "step 1/6: compiled module-1.ts" });
    const itemIds = new Set(events.map((e) => (e as { item_id: string }).item_id));
    expect(itemIds.size).toBe(1);
    expect(alice.of("meshagent.agent.tool_call.ended")[0].result).toEqual({
      type: "json",
      json: { ok: true, steps: 6, warnings: 1 },
    });
  });

  it("asks for approval before it writes; approve writes the file, reject leaves the room alone", async () => {
    const alice = await setup();
    const { threadId, turnId } = await alice.startThread("save hello.md: hello world");
    const asked = await alice.next("meshagent.agent.tool_call.approval_requested", (e) => e.turn_id === turnId);
    expect(asked).toMatchObject({ toolkit: "room", tool: "save_room_file", arguments: { path: "files/hello.md" } });
    expect(await alice.room.storage.exists("files/hello.md")).toBe(false);
    await alice.send("meshagent.agent.tool_call.approve", {
      thread_id: threadId,
      turn_id: turnId,
      item_id: asked.item_id,
    });
    await alice.ended(turnId);
    expect(alice.answer(turnId)).toContain("Saved `files/hello.md` (11 bytes)");
    expect(new TextDecoder().decode((await alice.room.storage.download("files/hello.md")).data)).toBe("hello world");
    expect(alice.of("meshagent.agent.file_content.delta", (e) => e.turn_id === turnId)[0].url).toBe(
      "room:///files/hello.md",
    );

    const second = await alice.turn(threadId, "save other.md: nope");
    const again = await alice.next("meshagent.agent.tool_call.approval_requested", (e) => e.turn_id === second);
    await alice.send("meshagent.agent.tool_call.reject", {
      thread_id: threadId,
      turn_id: second,
      item_id: again.item_id,
    });
    await alice.ended(second);
    expect(alice.answer(second)).toContain("You did not approve it");
    expect(alice.of("meshagent.agent.tool_call.ended", (e) => e.turn_id === second)[0].error?.message).toBe(
      "rejected by the user",
    );
    expect(await alice.room.storage.exists("files/other.md")).toBe(false);
  });
});

describe("the browser's ui tools as client tools", () => {
  it("shows a toast and asks the person, with the request sent to the turn's sender only", async () => {
    const alice = await setup();
    const aliceTab = await joinTurnBrowser(h, "alice", ROOM);
    const { threadId, turnId } = await alice.startThread("toast it works", { client_toolkits: [...UI_CLIENT_TOOLS] });
    await aliceTab.send("meshagent.agent.thread.open", { thread_id: threadId, load: false });
    const toast = await alice.next("meshagent.agent.client_tool_call.requested", (e) => e.turn_id === turnId);
    expect(toast).toMatchObject({
      toolkit: "client",
      tool: "show_toast",
      arguments: { title: "From assistant", description: "it works" },
      target_participant_id: alice.room.localParticipant!.id,
    });
    await alice.send("meshagent.agent.client_tool_call.response", {
      thread_id: threadId,
      turn_id: turnId,
      request_id: toast.request_id,
      response: { type: "empty" },
    });
    await alice.ended(turnId);
    expect(alice.answer(turnId)).toBe("I showed you a toast.");
    expect(aliceTab.of("meshagent.agent.client_tool_call.requested")).toEqual([]);

    const ask = await alice.turn(threadId, "ask me Where to?", { client_toolkits: [...UI_CLIENT_TOOLS] });
    const form = await alice.next("meshagent.agent.client_tool_call.requested", (e) => e.turn_id === ask);
    expect(form.tool).toBe("ask_user");
    expect(form.arguments).toMatchObject({
      subject: "Where to?",
      form: [{ input: { name: "answer", description: "Where to?" } }],
    });
    // another tab of the same person cannot answer in the asker's place
    await aliceTab.send("meshagent.agent.client_tool_call.response", {
      thread_id: threadId,
      turn_id: ask,
      request_id: form.request_id,
      response: { type: "json", json: { answer: "Mars" } },
    });
    await alice.send("meshagent.agent.client_tool_call.response", {
      thread_id: threadId,
      turn_id: ask,
      request_id: form.request_id,
      response: { type: "json", json: { answer: "Oslo" } },
    });
    await alice.ended(ask);
    expect(alice.answer(ask)).toBe("You answered: `Oslo`.");
    // a history replay never asks again, but shows the tool calls
    const before = alice.seen.length;
    const open = await alice.send("meshagent.agent.thread.open", { thread_id: threadId, load: true });
    await alice.next("meshagent.agent.thread.loaded", (e) => e.source_message_id === open.message_id);
    const replay = alice.seen.slice(before).map((s) => s.event);
    expect(replay.filter((e) => e.type === "meshagent.agent.client_tool_call.requested")).toEqual([]);
    expect(replay.filter((e) => e.type === "meshagent.agent.tool_call.ended").map((e) => e.tool)).toEqual([
      "show_toast",
      "ask_user",
    ]);
  });

  it("treats a cancelled form as an answer, cancels a pending request on Stop, and says when no ui tools were offered", async () => {
    const alice = await setup();
    const { threadId, turnId } = await alice.startThread("ask me Really?", { client_toolkits: [...UI_CLIENT_TOOLS] });
    const form = await alice.next("meshagent.agent.client_tool_call.requested", (e) => e.turn_id === turnId);
    await alice.send("meshagent.agent.client_tool_call.response", {
      thread_id: threadId,
      turn_id: turnId,
      request_id: form.request_id,
      response: { type: "error", text: "cancelled by the user" },
    });
    expect((await alice.ended(turnId)).error).toBeUndefined();
    expect(alice.answer(turnId)).toBe("cancelled by the user");

    const pending = await alice.turn(threadId, "toast hold on", { client_toolkits: [...UI_CLIENT_TOOLS] });
    const request = await alice.next("meshagent.agent.client_tool_call.requested", (e) => e.turn_id === pending);
    await alice.send("meshagent.agent.turn.interrupt", { thread_id: threadId, turn_id: pending });
    const cancelled = await alice.next("meshagent.agent.client_tool_call.cancelled", (e) => e.turn_id === pending);
    expect(cancelled).toMatchObject({ request_id: request.request_id, reason: "turn_interrupted" });
    expect((await alice.ended(pending)).error?.code).toBe("cancelled");
    // an answer after the cancel changes nothing
    await alice.send("meshagent.agent.client_tool_call.response", {
      thread_id: threadId,
      turn_id: pending,
      request_id: request.request_id,
      response: { type: "empty" },
    });

    const bare = await alice.turn(threadId, "toast nobody offered");
    await alice.ended(bare);
    expect(alice.answer(bare)).toContain("did not offer me its `show_toast` tool");
  });

  it("cancels a pending request when the asked participant leaves, and the turn ends", async () => {
    const alice = await setup();
    const watcher = await joinTurnBrowser(h, "alice", ROOM);
    const { threadId, turnId } = await alice.startThread("ask me Still there?", {
      client_toolkits: [...UI_CLIENT_TOOLS],
    });
    await watcher.send("meshagent.agent.thread.open", { thread_id: threadId, load: false });
    await alice.next("meshagent.agent.client_tool_call.requested", (e) => e.turn_id === turnId);
    h.dispose(alice.room);
    const ended = await watcher.ended(turnId);
    expect(ended.error).toBeUndefined();
    expect(watcher.answer(turnId)).toContain("left the room");
  });
});

describe("limits", () => {
  it("refuses a thread past the per-person cap with a clear error, and a flood of queued turns", async () => {
    const alice = await setup({ maxThreadsPerOwner: 2, maxQueuedTurns: 1 });
    const first = await alice.startThread("slow");
    await alice.startThread("ping");
    const third = await alice.send("meshagent.agent.thread.start", { content: [{ type: "text", text: "one more" }] });
    const refused = await alice.next(
      "meshagent.agent.turn.start.rejected",
      (e) => e.source_message_id === third.message_id,
    );
    expect(refused.error).toMatchObject({ code: "limit_reached" });
    expect(refused.error.message).toMatch(/Delete one/);

    await alice.turn(first.threadId, "queued one");
    const flood = await alice.send("meshagent.agent.turn.start", {
      thread_id: first.threadId,
      content: [{ type: "text", text: "queued two" }],
    });
    const full = await alice.next(
      "meshagent.agent.turn.start.rejected",
      (e) => e.source_message_id === flood.message_id,
    );
    expect(full.error.code).toBe("limit_reached");
  });

  it("drops duplicated requests: the same message_id runs once", async () => {
    const alice = await setup();
    const request = buildClientRequest("meshagent.agent.thread.start", { content: [{ type: "text", text: "ping" }] });
    await alice.raw(request);
    await alice.raw(request);
    await alice.raw({ payload: request });
    await alice.next("meshagent.agent.turn.ended");
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(alice.of("meshagent.agent.thread.started")).toHaveLength(1);
    await waitFor(() => agent.turn().counters.ignored >= 2, "duplicates ignored");
  });
});
