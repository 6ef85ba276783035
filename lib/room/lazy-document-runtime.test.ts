import { afterEach, describe, expect, it, vi } from "vitest";
import {
  createLazyDocumentRuntime,
  installLazyDocumentRuntime,
  loadDocumentRuntime,
  type DocumentRuntime,
} from "@/lib/room/lazy-document-runtime";

// The SDK's real document runtime (Yjs), as Node loads it.
const importSdkRuntime = async (): Promise<DocumentRuntime> => await import("@meshagent/meshagent");

interface Update {
  documentID: string;
  data: unknown;
}

function recorder() {
  const updates: Update[] = [];
  return { updates, send: (json: string) => updates.push(JSON.parse(json) as Update) };
}

const setTitle = (documentID: string, title: string) => ({
  documentID,
  changes: [{ setAttributes: { title } }],
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe("createLazyDocumentRuntime", () => {
  it("does not import the runtime until it is first used", async () => {
    const importRuntime = vi.fn(importSdkRuntime);
    const lazy = createLazyDocumentRuntime(importRuntime);
    expect(importRuntime).not.toHaveBeenCalled();
    lazy.runtime.registerDocument(
      "idle-doc",
      null,
      false,
      () => {},
      () => {},
    );
    expect(importRuntime).toHaveBeenCalledTimes(1);
    await lazy.load();
    expect(importRuntime).toHaveBeenCalledTimes(1);
  });

  it("replays calls made before the runtime loaded in order, then calls it directly", async () => {
    const lazy = createLazyDocumentRuntime(importSdkRuntime);
    const backend = recorder();
    const client = recorder();

    // Registration must run before the change or the runtime throws "not registered".
    lazy.runtime.registerDocument("doc-a", null, false, backend.send, client.send);
    lazy.runtime.applyChanges(setTitle("doc-a", "first"));
    expect(backend.updates).toEqual([]);

    await lazy.load();
    expect(backend.updates).toHaveLength(1);
    expect(backend.updates[0]?.documentID).toBe("doc-a");
    expect(JSON.stringify(client.updates)).toContain("first");

    // Loaded: a second document gets doc-a's update synchronously, as without the shim.
    const otherClient = recorder();
    lazy.runtime.registerDocument("doc-b", null, false, () => {}, otherClient.send);
    lazy.runtime.applyBackendChanges("doc-b", backend.updates[0]!.data as string);
    expect(JSON.stringify(otherClient.updates)).toContain("first");

    // And errors reach the caller again.
    expect(() => lazy.runtime.unregisterDocument("never-registered")).toThrow(/not registered/);
    lazy.runtime.unregisterDocument("doc-a");
    lazy.runtime.unregisterDocument("doc-b");
  });

  it("keeps replaying after a queued call fails, and reports the failure", async () => {
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    const lazy = createLazyDocumentRuntime(importSdkRuntime);
    const client = recorder();

    lazy.runtime.unregisterDocument("missing-doc");
    lazy.runtime.registerDocument("doc-c", null, false, () => {}, client.send);
    lazy.runtime.applyChanges(setTitle("doc-c", "after the failure"));
    await lazy.load();

    expect(errors).toHaveBeenCalledTimes(1);
    expect(String(errors.mock.calls[0]?.[0])).toContain("unregisterDocument failed");
    expect(JSON.stringify(client.updates)).toContain("after the failure");
    lazy.runtime.unregisterDocument("doc-c");
  });

  it("runs calls made during the replay after the calls already queued", async () => {
    const order: string[] = [];
    const lazy = createLazyDocumentRuntime(async () => ({
      registerDocument: (id) => {
        order.push(`register ${id}`);
        // Like a document echoing its first update back through the runtime.
        if (id === "first") lazy.runtime.applyChanges({ documentID: "echo", changes: [] });
      },
      unregisterDocument: (id) => order.push(`unregister ${id}`),
      applyChanges: (update) => order.push(`apply ${update.documentID}`),
      applyBackendChanges: (id) => order.push(`backend ${id}`),
    }));

    lazy.runtime.registerDocument(
      "first",
      null,
      false,
      () => {},
      () => {},
    );
    lazy.runtime.applyBackendChanges("first", "");
    lazy.runtime.unregisterDocument("first");
    await lazy.load();

    expect(order).toEqual(["register first", "backend first", "unregister first", "apply echo"]);
  });

  it("keeps queued calls when the runtime fails to download and tries again on the next load", async () => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    const importRuntime = vi
      .fn<() => Promise<DocumentRuntime>>()
      .mockRejectedValueOnce(new Error("chunk failed to load"))
      .mockImplementation(importSdkRuntime);
    const lazy = createLazyDocumentRuntime(importRuntime);
    const client = recorder();

    lazy.runtime.registerDocument("doc-d", null, false, () => {}, client.send);
    lazy.runtime.applyChanges(setTitle("doc-d", "survived"));
    await expect(lazy.load()).rejects.toThrow("chunk failed to load");
    expect(client.updates).toEqual([]);

    await lazy.load();
    expect(importRuntime).toHaveBeenCalledTimes(2);
    expect(JSON.stringify(client.updates)).toContain("survived");
    lazy.runtime.unregisterDocument("doc-d");
  });
});

describe("loadDocumentRuntime", () => {
  it("resolves at once without a lazy runtime, and loads the installed one", async () => {
    await expect(loadDocumentRuntime()).resolves.toBeUndefined();

    const importRuntime = vi.fn(importSdkRuntime);
    const runtime = installLazyDocumentRuntime(importRuntime);
    expect(importRuntime).not.toHaveBeenCalled();
    await loadDocumentRuntime();
    expect(importRuntime).toHaveBeenCalledTimes(1);

    // Already loaded: calls go straight to the SDK's runtime.
    const client = recorder();
    runtime.registerDocument("doc-e", null, false, () => {}, client.send);
    runtime.applyChanges(setTitle("doc-e", "direct"));
    expect(JSON.stringify(client.updates)).toContain("direct");
    runtime.unregisterDocument("doc-e");
  });
});
