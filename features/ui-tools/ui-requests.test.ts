import { describe, expect, it } from "vitest";
import type { ToolContent } from "@/lib/shared/agent-turn/content";
import { parseUiToolCall, type UiToolCall } from "@/lib/shared/agent-turn/ui-toolkit";
import {
  CANCELLED_BY_USER,
  MAX_QUEUED_DIALOGS,
  MAX_TOASTS,
  TOO_MANY_REQUESTS,
  createUiRequests,
} from "@/features/ui-tools/ui-requests";

const ask = parseUiToolCall("ask_user", { subject: "Name?", form: [{ input: { name: "name" } }] }) as UiToolCall;
const toast = (title: string) => parseUiToolCall("show_toast", { title, description: "d" }) as UiToolCall;

function request(key: string, call: UiToolCall = ask) {
  const answers: ToolContent[] = [];
  return {
    request: { key, asker: "assistant", call, respond: (content: ToolContent) => answers.push(content) },
    answers,
  };
}

describe("UI requests from agents", () => {
  it("shows one dialog at a time, queues a few, refuses the rest at once", () => {
    const store = createUiRequests();
    const first = request("a");
    store.getState().submit(first.request);
    const queued = Array.from({ length: MAX_QUEUED_DIALOGS }, (_, i) => request(`q${i}`));
    for (const item of queued) store.getState().submit(item.request);
    const refused = request("late");
    store.getState().submit(refused.request);
    expect(store.getState().active?.key).toBe("a");
    expect(store.getState().queue).toHaveLength(MAX_QUEUED_DIALOGS);
    expect(refused.answers).toEqual([{ type: "error", text: TOO_MANY_REQUESTS }]);

    store.getState().finish("a", { type: "json", json: { name: "Ada" } });
    expect(first.answers).toEqual([{ type: "json", json: { name: "Ada" } }]);
    expect(store.getState().active?.key).toBe("q0");
    // Finishing anything but the dialog on screen does nothing (and answers nothing twice).
    store.getState().finish("a", { type: "error", text: CANCELLED_BY_USER });
    expect(first.answers).toHaveLength(1);
  });

  it("ignores a repeated request key, and a withdrawn request goes without an answer", () => {
    const store = createUiRequests();
    const first = request("a");
    store.getState().submit(first.request);
    store.getState().submit(first.request);
    const second = request("b");
    store.getState().submit(second.request);
    expect(store.getState().queue.map((item) => item.key)).toEqual(["b"]);
    store.getState().withdraw("a");
    expect(store.getState().active?.key).toBe("b");
    store.getState().withdraw("b");
    expect(store.getState().active).toBeNull();
    expect([...first.answers, ...second.answers]).toEqual([]);
  });

  it("answers toasts at once, shows them afterwards in one update, and keeps only the newest few", async () => {
    const store = createUiRequests();
    const updates: string[][] = [];
    store.subscribe((state) => updates.push(state.toasts.map((t) => t.title)));
    const answers: ToolContent[][] = [];
    for (let i = 0; i < MAX_TOASTS + 2; i++) {
      const item = request(`t${i}`, toast(`T${i}`));
      store.getState().submit(item.request);
      answers.push(item.answers);
    }
    expect(answers.every((list) => list.length === 1 && list[0].type === "empty")).toBe(true);
    // Nothing renders before the answers are on their way (the render would delay their send).
    expect(updates).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(updates).toEqual([["T2", "T3", "T4"]]);
    store.getState().submit(request("t5", toast("T5")).request);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(store.getState().toasts.map((t) => t.title)).toEqual(["T3", "T4", "T5"]);
    store.getState().dismissToast("t3");
    expect(store.getState().toasts.map((t) => t.title)).toEqual(["T4", "T5"]);
  });

  it("opens a document in the viewer and answers at once", () => {
    const store = createUiRequests();
    const item = request("d", parseUiToolCall("display_document", { path: "files/a.txt" }) as UiToolCall);
    store.getState().submit(item.request);
    expect(item.answers).toEqual([{ type: "empty" }]);
    expect(store.getState().document?.args.path).toBe("files/a.txt");
  });
});
