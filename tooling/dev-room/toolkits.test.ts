// Participant-hosted toolkits in the local room, driven by the real SDKs:
// 0.35.8 RemoteToolkit and 0.39.9 startHostedToolkit as hosts, both as
// callers; listing and privacy, every result kind, failures, caps, grants.

import { describe, expect, it } from "vitest";
import * as sdk35 from "@meshagent/meshagent";
import type * as Sdk39 from "meshagent-sdk-0.39";
import { AgentsGrant, ApiScope, MessagingGrant, RoomServerException, type RoomClient } from "@meshagent/meshagent";
import { SECRET, handToken, roomRefusal, sdkToken, useHarness, waitFor, withTimeout } from "./test-helpers";
import { prng } from "../testing/prng";
import { verifyRoomToken } from "./token";
import { host35, host39, join39, outcome, sdk39, useDisposers } from "./toolkit-test-helpers";

const h = useHarness({ start: false });
const cleanup = useDisposers();

async function start(opts: Parameters<typeof h.start>[0] = {}): Promise<void> {
  await h.start(opts);
}

const add = (args: Record<string, unknown>): number => Number(args.a) + Number(args.b);

/** Every result kind a host can answer with, on 0.35.8. */
const tools35 = {
  "add-json": (args: Record<string, unknown>) => new sdk35.JsonContent({ json: { c: add(args) } }),
  "add-text": (args: Record<string, unknown>) => new sdk35.TextContent({ text: String(add(args)) }),
  "add-none": () => new sdk35.EmptyContent(),
  "add-file": () =>
    new sdk35.FileContent({ data: new TextEncoder().encode("hello world"), name: "hello.txt", mimeType: "text/plain" }),
  fail: () => {
    throw new Error("no can do");
  },
  "error-content": () => new sdk35.ErrorContent({ text: "refused by the tool", code: 4242 }),
};

function agentScope(agents: AgentsGrant): ApiScope {
  return new ApiScope({ messaging: new MessagingGrant(), agents });
}

async function join(name: string, agents?: AgentsGrant): Promise<RoomClient> {
  return h.join(name, { enable: false, api: agents ? agentScope(agents) : undefined });
}

function names(list: sdk35.ToolkitDescription[]): string[] {
  return list.map((t) => t.name).sort();
}

describe("register and list", () => {
  it("lists a 0.35.8 public toolkit for everyone, with its host, tools and schemas", async () => {
    await start();
    const host = await join("host");
    const caller = await join("caller");
    await host35(host, "math", tools35, { public_: true });

    const [math, ...rest] = await caller.agents.listToolkits();
    expect(rest).toEqual([]);
    expect(math.name).toBe("math");
    expect(math.title).toBe("math toolkit");
    expect(math.description).toBe("the math toolkit");
    expect(math.participantId).toBe(host.localParticipant!.id);
    expect(math.tools.map((t) => t.name).sort()).toEqual(Object.keys(tools35).sort());
    const addJson = math.getTool("add-json")!;
    expect(addJson.title).toBe("add-json title");
    expect(addJson.inputSpec?.types).toEqual(["json"]);
    expect(addJson.inputSchema).toMatchObject({ required: ["a", "b"] });
    expect(h.server.usage().toolkits).toBe(1);
  });

  it("keeps a private toolkit out of others' plain listing, but lists it for its owner and when named", async () => {
    await start();
    const browser = await join("browser");
    const agent = await join("agent");
    const other = await join("other");
    await host35(browser, "ui", tools35);
    await host35(other, "shared", tools35, { public_: true });
    const browserId = browser.localParticipant!.id;

    expect(names(await agent.agents.listToolkits())).toEqual(["shared"]);
    expect(names(await other.agents.listToolkits())).toEqual(["shared"]);
    expect(names(await browser.agents.listToolkits())).toEqual(["shared", "ui"]);
    // A listing made for the browser: what an agent does for --require-toolkit ui.
    const forBrowser = await agent.agents.listToolkits({ participantId: browserId });
    expect(names(forBrowser)).toEqual(["ui"]);
    expect(forBrowser[0].participantId).toBe(browserId);
    expect(names(await agent.agents.listToolkits({ participantName: "browser" }))).toEqual(["ui"]);
    expect(names(await agent.agents.listToolkits({ participantId: other.localParticipant!.id }))).toEqual(["shared"]);

    const missing = await roomRefusal(agent.agents.listToolkits({ participantId: "nobody" }));
    expect([missing.message, missing.code]).toEqual(["the participant was not found", 1003]);
  });

  it("registers from 0.39.9 with startHostedToolkit, and stop() unregisters", async () => {
    await start();
    const host = await join39(h, "host39", { cleanup });
    const caller = await join("caller");
    const hosted = await host39(
      host,
      "kit39",
      { echo: (args) => new sdk39.JsonContent({ json: { got: args } }) },
      { public_: true },
    );
    const [kit] = await caller.agents.listToolkits();
    expect([kit.name, kit.participantId, kit.tools.map((t) => t.name)]).toEqual([
      "kit39",
      host.localParticipant!.id,
      ["echo"],
    ]);
    await hosted.stop();
    expect(await caller.agents.listToolkits()).toEqual([]);
    const gone = await roomRefusal(caller.agents.invokeTool({ toolkit: "kit39", tool: "echo", arguments: {} }));
    expect([gone.message, gone.code]).toEqual(["toolkit not found: kit39", 1003]);
  });

  it("ends a participant's registrations when it leaves", async () => {
    await start();
    const host = await join("host");
    const caller = await join("caller");
    await host35(host, "a", tools35, { public_: true });
    await host35(host, "b", tools35);
    expect(h.server.usage().toolkits).toBe(2);
    h.dispose(host);
    await waitFor(() => h.server.usage().toolkits === 0, "registrations dropped");
    expect(await caller.agents.listToolkits()).toEqual([]);
  });
});

describe("invoke", () => {
  it("relays json, text, empty, file, thrown-error and error-content results to another participant", async () => {
    await start();
    const host = await join("host");
    const caller = await join("caller");
    await host35(host, "math", tools35, { public_: true });
    const call = (tool: string) => caller.agents.invokeTool({ toolkit: "math", tool, arguments: { a: 1, b: 2 } });

    const json = await call("add-json");
    expect(json).toBeInstanceOf(sdk35.JsonContent);
    expect((json as sdk35.JsonContent).json).toEqual({ c: 3 });
    const text = await call("add-text");
    expect(text).toBeInstanceOf(sdk35.TextContent);
    expect((text as sdk35.TextContent).text).toBe("3");
    expect(await call("add-none")).toBeInstanceOf(sdk35.EmptyContent);
    const file = (await call("add-file")) as sdk35.FileContent;
    expect([file.name, file.mimeType, new TextDecoder().decode(file.data)]).toEqual([
      "hello.txt",
      "text/plain",
      "hello world",
    ]);
    const thrown = await roomRefusal(call("fail"));
    expect(thrown.message).toBe("Error: no can do");
    const refused = await roomRefusal(call("error-content"));
    expect([refused.message, refused.code]).toEqual(["refused by the tool", 4242]);
    const unknownTool = await roomRefusal(call("nope"));
    expect([unknownTool.message, unknownTool.code]).toEqual(["tool not found: math.nope", 1003]);
    expect(h.server.usage().toolCallsInFlight).toBe(0);
  });

  it("hands the host the tool name, arguments, caller id, a tool_call_id and on_behalf_of_id", async () => {
    await start();
    const host = await join("host");
    const caller = await join("caller");
    const seen: Record<string, unknown>[] = [];
    // A hand-written host on the SDK's protocol, to see the relayed header itself.
    host.protocol.addHandler("room.tool_call.raw", async (_p, messageId, _type, data) => {
      const [header] = sdk35.unpackMessage(data!);
      seen.push(header as Record<string, unknown>);
      await host.protocol.send("room.tool_call_response", new sdk35.TextContent({ text: "ok" }).pack(), messageId);
    });
    await host.sendRequest("room.register_toolkit", { name: "raw", tools: { t: {} }, public: false });
    const hostId = host.localParticipant!.id;
    const result = await caller.invoke({
      toolkit: "raw",
      tool: "t",
      arguments: { x: 1 },
      participantId: hostId,
      onBehalfOfId: hostId,
      callerContext: { via: "test" },
    });
    expect((result as sdk35.TextContent).text).toBe("ok");
    expect(seen).toEqual([
      {
        name: "t",
        arguments: { type: "json", json: { x: 1 } },
        caller_id: caller.localParticipant!.id,
        tool_call_id: expect.stringMatching(/.+/),
        on_behalf_of_id: hostId,
        caller_context: { via: "test" },
      },
    ]);
  });

  it("reaches a private toolkit only by naming its host; its owner calls it plainly", async () => {
    await start();
    const browser = await join("browser");
    const agent = await join("agent");
    await host35(browser, "ui", tools35);
    const plain = await roomRefusal(agent.agents.invokeTool({ toolkit: "ui", tool: "add-json", arguments: {} }));
    expect([plain.message, plain.code]).toEqual(["toolkit not found: ui", 1003]);
    const named = await agent.invoke({
      toolkit: "ui",
      tool: "add-json",
      arguments: { a: 2, b: 2 },
      participantId: browser.localParticipant!.id,
    });
    expect((named as sdk35.JsonContent).json).toEqual({ c: 4 });
    const own = await browser.agents.invokeTool({ toolkit: "ui", tool: "add-text", arguments: { a: 1, b: 1 } });
    expect((own as sdk35.TextContent).text).toBe("2");
    const wrongHost = await roomRefusal(
      agent.invoke({
        toolkit: "ui",
        tool: "add-json",
        arguments: {},
        participantId: agent.localParticipant!.id,
      }),
    );
    expect(wrongHost.message).toBe(`toolkit not found: ui on participant ${agent.localParticipant!.id}`);
  });

  it("fails the call at once when the host leaves mid-call", async () => {
    await start({ toolCallTimeoutMs: 60_000 });
    const host = await join("host");
    const caller = await join("caller");
    let called = false;
    await host35(
      host,
      "slow",
      {
        wait: () => {
          called = true;
          return new Promise<sdk35.Content>(() => {});
        },
      },
      { public_: true },
    );
    const pending = outcome(caller.agents.invokeTool({ toolkit: "slow", tool: "wait", arguments: {} }));
    await waitFor(() => called, "the host got the call");
    expect(h.server.usage().toolCallsInFlight).toBe(1);
    h.dispose(host);
    const error = (await pending) as RoomServerException;
    expect(error).toBeInstanceOf(RoomServerException);
    expect([error.message, error.code]).toEqual(["the participant hosting slow.wait left before answering", 1008]);
    expect(h.server.usage().toolCallsInFlight).toBe(0);
  });

  it("times out a host that never answers, and drops its late answer", async () => {
    await start({ toolCallTimeoutMs: 300 });
    const host = await join("host");
    const caller = await join("caller");
    const calls: number[] = [];
    host.protocol.addHandler("room.tool_call.silent", async (_p, messageId) => void calls.push(messageId));
    await host.sendRequest("room.register_toolkit", { name: "silent", tools: { t: {} }, public: true });
    const error = await roomRefusal(caller.agents.invokeTool({ toolkit: "silent", tool: "t", arguments: {} }));
    expect([error.message, error.code]).toEqual([
      "the participant hosting silent.t did not answer within 300 ms (DEV_ROOM_TOOL_CALL_TIMEOUT_MS)",
      1009,
    ]);
    expect(h.server.usage().toolCallsInFlight).toBe(0);
    // The late answer goes nowhere; the room and both clients carry on.
    await host.protocol.send("room.tool_call_response", new sdk35.TextContent({ text: "late" }).pack(), calls[0]);
    expect(names(await caller.agents.listToolkits())).toEqual(["silent"]);
  });

  it("refuses a host's malformed answer to the caller instead of leaving it hanging", async () => {
    await start();
    const host = await join("host");
    const caller = await join("caller");
    host.protocol.addHandler("room.tool_call.odd", async (_p, messageId) => {
      await host.protocol.send("room.tool_call_response", sdk35.packMessage({ type: "bogus" }), messageId);
    });
    await host.sendRequest("room.register_toolkit", { name: "odd", tools: { t: {} }, public: true });
    const error = await roomRefusal(caller.agents.invokeTool({ toolkit: "odd", tool: "t", arguments: {} }));
    expect([error.message, error.code]).toEqual(["the participant hosting odd.t sent an invalid result", 1008]);
  });

  it("fails the call at once when the host's answer is over the message limit", async () => {
    await start({ maxMessageBytes: 64 * 1024, toolCallTimeoutMs: 60_000 });
    const host = await join("host");
    const caller = await join("caller");
    await host35(
      host,
      "big",
      { file: () => new sdk35.FileContent({ data: new Uint8Array(100_000), name: "x.bin", mimeType: "a/b" }) },
      { public_: true },
    );
    const error = await roomRefusal(caller.agents.invokeTool({ toolkit: "big", tool: "file", arguments: {} }));
    expect([error.message, error.code]).toEqual([
      "the participant hosting big.file sent an unreadable result (over 65536 bytes)",
      1008,
    ]);
    // Both stay connected and usable.
    expect(names(await caller.agents.listToolkits())).toEqual(["big"]);
  });

  it("refuses streamed arguments and non-content arguments clearly", async () => {
    await start();
    const host = await join("host");
    const caller = await join("caller");
    await host35(host, "math", tools35, { public_: true });
    const streamed = await roomRefusal(
      caller.sendRequest("room.invoke_tool", {
        toolkit: "math",
        tool: "add-json",
        tool_call_id: "x",
        arguments: { type: "control", method: "open" },
      }),
    );
    expect(streamed.message).toMatch(/streamed tool calls to participant toolkits are not supported/);
    expect(streamed.code).toBe(1002);
    const junk = await roomRefusal(
      caller.sendRequest("room.invoke_tool", { toolkit: "math", tool: "add-json", arguments: [1] }),
    );
    expect(junk.code).toBe(1002);
  });
});

describe("across SDK versions", () => {
  it("a 0.39.9 host answers a 0.35.8 caller (private toolkit, named host)", async () => {
    await start();
    const host = await join39(h, "browser39", { cleanup });
    const caller = await join("agent35");
    await host39(host, "ui", {
      "add-json": (args) => new sdk39.JsonContent({ json: { c: add(args) } }),
      "add-text": (args) => new sdk39.TextContent({ text: String(add(args)) }),
      "add-none": () => new sdk39.EmptyContent(),
      fail: () => {
        throw new Error("nope39");
      },
    });
    const participantId = host.localParticipant!.id;
    expect(names(await caller.agents.listToolkits())).toEqual([]);
    expect(names(await caller.agents.listToolkits({ participantId }))).toEqual(["ui"]);
    const call = (tool: string) => caller.invoke({ toolkit: "ui", tool, arguments: { a: 4, b: 5 }, participantId });
    expect(((await call("add-json")) as sdk35.JsonContent).json).toEqual({ c: 9 });
    expect(((await call("add-text")) as sdk35.TextContent).text).toBe("9");
    expect(await call("add-none")).toBeInstanceOf(sdk35.EmptyContent);
    expect((await roomRefusal(call("fail"))).message).toBe("Error: nope39");
  });

  it("a 0.35.8 host answers a 0.39.9 caller", async () => {
    await start();
    const host = await join("host35");
    const caller = await join39(h, "agent39", { cleanup });
    await host35(host, "math", tools35, { public_: true });
    const listed = await caller.agents.listToolkits();
    expect(listed.map((t) => [t.name, t.participantId])).toEqual([["math", host.localParticipant!.id]]);
    const json = await caller.agents.invokeTool({ toolkit: "math", tool: "add-json", arguments: { a: 1, b: 2 } });
    expect(json).toBeInstanceOf(sdk39.JsonContent);
    expect((json as Sdk39.JsonContent).json).toEqual({ c: 3 });
    const text = await caller.agents.invokeTool({ toolkit: "math", tool: "add-text", arguments: { a: 1, b: 2 } });
    expect((text as Sdk39.TextContent).text).toBe("3");
    const error = await outcome(caller.agents.invokeTool({ toolkit: "math", tool: "fail", arguments: {} }));
    expect(error).toBeInstanceOf(sdk39.RoomServerException);
    expect((error as Error).message).toBe("Error: no can do");
  });
});

describe("caps", () => {
  it("caps toolkits per participant, registrations per minute, tools, description and argument size", async () => {
    await start({
      toolkitLimits: {
        maxToolkitsPerParticipant: 2,
        maxRegistrationsPerMinute: 6,
        maxToolsPerToolkit: 3,
        maxToolkitBytes: 2000,
        maxArgumentBytes: 500,
      },
    });
    const host = await join("host");
    const caller = await join("caller");
    const register = (name: string, tools: Record<string, object> = { t: {} }) =>
      host.sendRequest("room.register_toolkit", { name, tools, public: true });
    await register("one");
    await register("two");
    const third = await roomRefusal(register("three"));
    expect([third.message, third.code]).toEqual(["too many toolkits registered by this participant (limit 2)", 1008]);
    const dup = await roomRefusal(register("one"));
    expect([dup.message, dup.code]).toEqual([
      "toolkit one is already registered by this participant; unregister it first",
      1004,
    ]);
    const manyTools = await roomRefusal(register("four", { a: {}, b: {}, c: {}, d: {} }));
    expect(manyTools.message).toBe("too many tools in toolkit four: 4 (limit 3)");
    expect((await roomRefusal(register("five"))).message).toMatch(/^too many toolkits registered/);
    // Attempts this minute, refused ones included: one, two, three, one, four, five = 6 of 6.
    const flood = await roomRefusal(register("six"));
    expect([flood.message, flood.code]).toEqual(["too many toolkit registrations (limit 6 per minute)", 1008]);

    const other = await join("other");
    const big = await roomRefusal(
      other.sendRequest("room.register_toolkit", { name: "big", tools: { t: { description: "x".repeat(3000) } } }),
    );
    expect(big.message).toMatch(/^toolkit description too large: \d+ bytes \(limit 2000\)$/);
    expect(big.code).toBe(1002);

    await host35(other, "math", { "add-json": tools35["add-json"] }, { public_: true });
    const tooLong = await roomRefusal(
      caller.agents.invokeTool({ toolkit: "math", tool: "add-json", arguments: { pad: "y".repeat(600) } }),
    );
    expect(tooLong.message).toMatch(/^arguments too large: \d+ bytes \(limit 500\)$/);
    expect(tooLong.code).toBe(1002);
    expect(
      (
        (await caller.agents.invokeTool({
          toolkit: "math",
          tool: "add-json",
          arguments: { a: 1, b: 1 },
        })) as sdk35.JsonContent
      ).json,
    ).toEqual({ c: 2 });
  });

  it("caps calls in flight per caller and per host", async () => {
    await start({ toolkitLimits: { maxCallsInFlightPerCaller: 2, maxCallsInFlightPerHost: 3 } });
    const host = await join("host");
    const callerA = await join("a");
    const callerB = await join("b");
    const waiting: (() => void)[] = [];
    await host35(
      host,
      "slow",
      {
        wait: () =>
          new Promise<sdk35.Content>((resolve) => waiting.push(() => resolve(new sdk35.TextContent({ text: "done" })))),
      },
      { public_: true },
    );
    const call = (room: RoomClient) => room.agents.invokeTool({ toolkit: "slow", tool: "wait", arguments: {} });
    const first = [call(callerA), call(callerA)];
    await waitFor(() => waiting.length === 2, "two calls at the host");
    const perCaller = await roomRefusal(call(callerA));
    expect([perCaller.message, perCaller.code]).toEqual(["too many tool calls in flight (limit 2 per caller)", 1008]);
    const third = call(callerB);
    await waitFor(() => waiting.length === 3, "three calls at the host");
    const perHost = await roomRefusal(call(callerB));
    expect(perHost.message).toBe("the host of slow has too many tool calls in flight (limit 3)");
    for (const resolve of waiting) resolve();
    const results = await withTimeout(Promise.all([...first, third]), 3000, "calls answered");
    expect(results.map((r) => (r as sdk35.TextContent).text)).toEqual(["done", "done", "done"]);
    expect(h.server.usage().toolCallsInFlight).toBe(0);
  });
});

describe("grants (api.agents)", () => {
  it("register_public_toolkit / register_private_toolkit decide which registrations are allowed", async () => {
    await start();
    const privateOnly = await join("browser", new AgentsGrant({ registerPublicToolkit: false, useTools: false }));
    const publicRefused = await roomRefusal(host35(privateOnly, "ui", tools35, { public_: true }));
    expect([publicRefused.message, publicRefused.code]).toEqual([
      "permission denied: the token does not grant agents.register_public_toolkit",
      1001,
    ]);
    await host35(privateOnly, "ui", tools35);
    const publicOnly = await join("svc", new AgentsGrant({ registerPrivateToolkit: false }));
    const privateRefused = await roomRefusal(host35(publicOnly, "kit", tools35));
    expect(privateRefused.message).toBe("permission denied: the token does not grant agents.register_private_toolkit");
    await host35(publicOnly, "kit", tools35, { public_: true });
  });

  it("use_tools gates listing and invoking; a token without api.agents gets no toolkits at all", async () => {
    await start();
    const host = await join("host");
    await host35(host, "math", tools35, { public_: true });
    const noTools = await join("no-tools", new AgentsGrant({ useTools: false }));
    const list = await roomRefusal(noTools.agents.listToolkits());
    expect([list.message, list.code]).toEqual(["permission denied: the token does not grant agents.use_tools", 1001]);
    const invoke = await roomRefusal(noTools.agents.invokeTool({ toolkit: "math", tool: "add-json", arguments: {} }));
    expect(invoke.message).toBe("permission denied: the token does not grant agents.use_tools");

    const noAgents = await h.join("no-agents", {
      enable: false,
      api: new ApiScope({ messaging: new MessagingGrant() }),
    });
    const refused = await roomRefusal(host35(noAgents, "x", tools35));
    expect([refused.message, refused.code]).toEqual([
      "permission denied: the token grants no agents access (api.agents), so not agents.register_private_toolkit",
      1001,
    ]);
    expect((await roomRefusal(noAgents.agents.listToolkits())).code).toBe(1001);
    // Built-in toolkits keep their own grants: messaging still works for this token.
    await noAgents.messaging.enable();
  });

  it("call gates room.call, which the local room then refuses clearly", async () => {
    await start();
    const noCall = await join("no-call", new AgentsGrant({ call: false }));
    const denied = await roomRefusal(noCall.agents.call({ name: "a", url: "http://127.0.0.1:1/", arguments: {} }));
    expect([denied.message, denied.code]).toEqual(["permission denied: the token does not grant agents.call", 1001]);
    const caller = await join("caller");
    const unsupported = await roomRefusal(caller.agents.call({ name: "a", url: "http://127.0.0.1:1/", arguments: {} }));
    expect(unsupported.message).toMatch(/^room\.call is not supported by the local room/);
    expect(unsupported.code).toBe(1008);
  });

  it("reads 0.39.9/Python snake_case grants, with allowed_toolkits", async () => {
    await start();
    const token = await handToken({
      name: "snake",
      version: "0.39.9",
      grants: [
        { name: "room", scope: "test" },
        { name: "api", scope: { agents: { register_public_toolkit: false, allowed_toolkits: ["math"] } } },
      ],
    });
    const check = await verifyRoomToken(token, SECRET, "test");
    expect(check.ok && check.claims.agents).toEqual({
      registerPublicToolkit: false,
      registerPrivateToolkit: true,
      useTools: true,
      call: true,
      allowedToolkits: ["math"],
    });
    const host = await join("host");
    await host35(host, "math", tools35, { public_: true });
    await host35(host, "other", tools35, { public_: true });
    const client = h.open(token);
    await withTimeout(client.started, 2000, "start()");
    expect(names(await client.room.agents.listToolkits())).toEqual(["math"]);
    const denied = await roomRefusal(
      client.room.agents.invokeTool({ toolkit: "other", tool: "add-json", arguments: {} }),
    );
    expect(denied.message).toBe("permission denied: the token's agents.allowed_toolkits does not include other");
    const ok = await client.room.agents.invokeTool({ toolkit: "math", tool: "add-json", arguments: { a: 1, b: 2 } });
    expect((ok as sdk35.JsonContent).json).toEqual({ c: 3 });
  });
});

describe("hostile participants", () => {
  it("cannot register in another's name, unregister another's toolkit, or take a reserved name", async () => {
    await start();
    const victim = await join("victim");
    const mallory = await join("mallory");
    const observer = await join("observer");
    const { json } = (await victim.sendRequest("room.register_toolkit", {
      name: "real",
      tools: { t: {} },
      public: true,
    })) as sdk35.JsonContent;
    await mallory.sendRequest("room.register_toolkit", {
      name: "spoof",
      tools: { t: {} },
      public: true,
      participant_id: victim.localParticipant!.id,
    });
    const listed = await observer.agents.listToolkits();
    expect(Object.fromEntries(listed.map((t) => [t.name, t.participantId]))).toEqual({
      real: victim.localParticipant!.id,
      spoof: mallory.localParticipant!.id,
    });
    const stolen = await roomRefusal(mallory.sendRequest("room.unregister_toolkit", { id: json.id }));
    expect([stolen.message, stolen.code]).toEqual([`toolkit registration not found: ${String(json.id)}`, 1003]);
    expect(names(await observer.agents.listToolkits())).toEqual(["real", "spoof"]);
    for (const reserved of ["storage", "sync", "messaging"]) {
      const error = await roomRefusal(mallory.sendRequest("room.register_toolkit", { name: reserved, tools: {} }));
      expect(error.message).toBe(`toolkit name ${reserved} is reserved by the room`);
    }
  });

  it("refuses malformed registrations that would break other participants' listings", async () => {
    await start();
    const mallory = await join("mallory");
    const bad: Record<string, unknown>[] = [
      { name: "", tools: {} },
      { name: "has space", tools: {} },
      { name: "__proto__", tools: {} },
      { name: "x".repeat(200), tools: {} },
      { name: "k", tools: [] },
      { name: "k", tools: { t: null } },
      { name: "k", tools: { t: { input_spec: { types: ["video"] } } } },
      { name: "k", tools: { t: { input_spec: { types: [] } } } },
      { name: "k", tools: { constructor: {} } },
      { name: "k", tools: {}, public: "yes" },
    ];
    for (const request of bad) {
      const error = await roomRefusal(mallory.sendRequest("room.register_toolkit", request));
      expect(error.code).toBe(1002);
      expect(error.message).toMatch(/^invalid toolkit: /);
    }
    expect(h.server.usage().toolkits).toBe(0);
    // The room is fine: a well-formed registration still works and lists.
    await host35(mallory, "fine", tools35, { public_: true });
    expect(names(await mallory.agents.listToolkits())).toEqual(["fine"]);
  });

  it("cannot answer calls meant for another host", async () => {
    await start({ toolCallTimeoutMs: 500 });
    const host = await join("host");
    const mallory = await join("mallory");
    const caller = await join("caller");
    const calls: number[] = [];
    host.protocol.addHandler("room.tool_call.quiet", async (_p, messageId) => void calls.push(messageId));
    await host.sendRequest("room.register_toolkit", { name: "quiet", tools: { t: {} }, public: true });
    const pending = outcome(caller.agents.invokeTool({ toolkit: "quiet", tool: "t", arguments: {} }));
    await waitFor(() => calls.length === 1, "call reached the host");
    // Same message id, wrong participant: ignored, the caller still times out.
    await mallory.protocol.send("room.tool_call_response", new sdk35.TextContent({ text: "forged" }).pack(), calls[0]);
    const error = (await pending) as RoomServerException;
    expect(error.code).toBe(1009);
  });

  it("survives seeded garbage on every toolkit request from a raw socket, and leaks nothing", async () => {
    // The host answers every garbage call the raw peer manages to relay first; on a loaded machine that takes a while.
    await start({ toolCallTimeoutMs: 10_000 });
    const host = await join("host");
    const caller = await join("caller");
    await host35(host, "math", tools35, { public_: true });
    const raw = await h.raw(await sdkToken({ name: "raw" }));
    const rng = prng(0x70017);
    const pick = <T>(list: readonly T[]): T => list[Math.floor(rng() * list.length)];
    const values: unknown[] = [
      null,
      true,
      0,
      -1,
      1e308,
      "",
      "math",
      "__proto__",
      "x".repeat(300),
      [],
      [1, "a"],
      {},
      { type: "json", json: { a: 1 } },
      { type: "control", method: "open" },
      { type: "empty" },
      { t: { input_spec: { types: ["json"] } } },
      { t: { input_spec: "nope" } },
      host.localParticipant!.id,
    ];
    const keys = [
      "name",
      "tools",
      "public",
      "id",
      "toolkit",
      "tool",
      "arguments",
      "participant_id",
      "participant_name",
    ];
    const types = [
      "room.register_toolkit",
      "room.unregister_toolkit",
      "room.list_toolkits",
      "room.invoke_tool",
      "room.tool_call_response",
      "room.call",
    ];
    for (let i = 0; i < 600; i++) {
      const header = Object.fromEntries(
        Array.from({ length: 1 + Math.floor(rng() * 5) }, () => [pick(keys), pick(values)]),
      );
      const payload = rng() < 0.2 ? new Uint8Array(Math.floor(rng() * 3000)) : undefined;
      raw.send(pick(types), header, payload, rng() < 0.3 ? Math.floor(rng() * 5) : undefined);
    }
    // Every request of the raw peer got an answer or was a response itself; the honest pair still works.
    await waitFor(() => raw.received.filter((m) => m.type === "__response__").length > 0, "answers to the raw peer");
    expect(raw.open).toBe(true);
    const json = await caller.agents.invokeTool({ toolkit: "math", tool: "add-json", arguments: { a: 2, b: 3 } });
    expect((json as sdk35.JsonContent).json).toEqual({ c: 5 });
    // Once everyone is gone, nothing is held: no registrations, no calls, no timers waiting on anyone.
    raw.socket.terminate();
    h.dispose(host);
    h.dispose(caller);
    await waitFor(() => h.server.usage().toolkits === 0 && h.server.usage().toolCallsInFlight === 0, "nothing held");
  });
});
