// MeshAgent's own live-server toolkit test, ported to the local room.
//
// The assertions come from meshagent/meshagent-ts, src/test/agent_client_test.ts
// ("agent_client_test": `test_can_invoke_json_tool` and its neighbour
// `test_toolkit_description_json_round_trip`), read at commit
// 19032cd0d516b6b38fd9f87165f3e7d876f92c3e (2026-07-22). That suite runs
// against MeshAgent cloud with mocha/chai and the SDK's HEAD; it cannot be
// vendored (it needs cloud credentials and imports the SDK's sources), so its
// checks are rewritten here for Vitest, against the local room, with the
// published 0.39.9 client (which has the same startHostedToolkit / Toolkit /
// agents.invokeTool API) and, for the invoke test, 0.35.8's RemoteToolkit too.
// As upstream: two clients join one fresh room, client1 hosts "test-toolkit"
// with the SDK's default visibility (private) and calls it itself.

import { describe, expect, it } from "vitest";
import * as sdk35 from "@meshagent/meshagent";
import type * as Sdk39 from "meshagent-sdk-0.39";
import { randomUUID } from "node:crypto";
import { useHarness } from "./test-helpers";
import { ADD_SCHEMA, join39, sdk39, useDisposers } from "./toolkit-test-helpers";

const h = useHarness();
const cleanup = useDisposers();

async function twoClients(): Promise<[Sdk39.RoomClient, Sdk39.RoomClient]> {
  const room = randomUUID();
  return [await join39(h, "client1", { room, cleanup }), await join39(h, "client2", { room, cleanup })];
}

const tool = (name: string, run: () => Sdk39.Content) =>
  new (class extends sdk39.Tool {
    async execute(): Promise<Sdk39.Content> {
      return run();
    }
  })({ name, description: "Adds two numbers", title: "Add two numbers", inputSchema: ADD_SCHEMA });

function testToolkit(): Sdk39.Toolkit {
  return new sdk39.Toolkit({
    name: "test-toolkit",
    title: "Test Toolkit",
    description: "A toolkit for testing",
    tools: [
      // Upstream's tools add a and b; each returns one content kind.
      new (class extends sdk39.Tool {
        async execute({ a, b }: Record<string, number>): Promise<Sdk39.Content> {
          return new sdk39.JsonContent({ json: { c: a + b } });
        }
      })({ name: "add-json", description: "Adds two numbers", title: "Add two numbers", inputSchema: ADD_SCHEMA }),
      new (class extends sdk39.Tool {
        async execute({ a, b }: Record<string, number>): Promise<Sdk39.Content> {
          return new sdk39.TextContent({ text: String(a + b) });
        }
      })({ name: "add-text", description: "Adds two numbers", title: "Add two numbers", inputSchema: ADD_SCHEMA }),
      tool("add-none", () => new sdk39.EmptyContent()),
      tool(
        "add-file",
        () =>
          new sdk39.FileContent({
            data: new TextEncoder().encode("hello world"),
            name: "hello.text",
            mimeType: "application/text",
          }),
      ),
    ],
  });
}

describe("meshagent-ts agent_client_test, against the local room", () => {
  it("test_can_invoke_json_tool (0.39.9 startHostedToolkit)", async () => {
    const [client1] = await twoClients();
    const hostedToolkit = await sdk39.startHostedToolkit({ room: client1, toolkit: testToolkit() });
    const invoke = (name: string) =>
      client1.agents.invokeTool({ toolkit: "test-toolkit", tool: name, arguments: { a: 1, b: 2 } });

    const result1 = (await invoke("add-file")) as Sdk39.FileContent;
    expect(typeof new TextDecoder().decode(result1.data)).toBe("string");
    expect(new TextDecoder().decode(result1.data)).toBe("hello world");

    const result2 = (await invoke("add-json")) as Sdk39.JsonContent;
    expect(typeof result2.json).toBe("object");
    expect(result2.json.c).toBe(3);

    const result3 = (await invoke("add-text")) as Sdk39.TextContent;
    expect(typeof result3.text).toBe("string");
    expect(result3.text).toBe("3");

    const result4 = await invoke("add-none");
    expect(result4).toBeInstanceOf(sdk39.EmptyContent);

    const result5 = (await invoke("add-file")) as Sdk39.FileContent;
    expect(typeof result5).toBe("object");
    expect(result5.name).toBe("hello.text");
    expect(result5.mimeType).toBe("application/text");
    expect(new TextDecoder().decode(result5.data)).toBe("hello world");

    await hostedToolkit.stop();
  });

  it("test_can_invoke_json_tool, the same calls on 0.35.8 (RemoteToolkit.start)", async () => {
    const room = randomUUID();
    const client1 = await h.join("client1", { room, enable: false });
    await h.join("client2", { room, enable: false });
    const json = (run: (a: number, b: number) => sdk35.Content) =>
      class extends sdk35.Tool {
        async execute({ a, b }: Record<string, number>): Promise<sdk35.Content> {
          return run(a, b);
        }
      };
    const Json = json((a, b) => new sdk35.JsonContent({ json: { c: a + b } }));
    const Text = json((a, b) => new sdk35.TextContent({ text: String(a + b) }));
    const None = json(() => new sdk35.EmptyContent());
    const File = json(
      () =>
        new sdk35.FileContent({
          data: new TextEncoder().encode("hello world"),
          name: "hello.text",
          mimeType: "application/text",
        }),
    );
    const spec = (name: string) => ({
      name,
      description: "Adds two numbers",
      title: "Add two numbers",
      inputSchema: ADD_SCHEMA,
    });
    const toolkit = new (class extends sdk35.RemoteToolkit {})({
      name: "test-toolkit",
      title: "Test Toolkit",
      description: "A toolkit for testing",
      room: client1,
      tools: [
        new Json(spec("add-json")),
        new Text(spec("add-text")),
        new None(spec("add-none")),
        new File(spec("add-file")),
      ],
    });
    await toolkit.start();
    const invoke = (name: string) =>
      client1.agents.invokeTool({ toolkit: "test-toolkit", tool: name, arguments: { a: 1, b: 2 } });

    expect(new TextDecoder().decode(((await invoke("add-file")) as sdk35.FileContent).data)).toBe("hello world");
    expect(((await invoke("add-json")) as sdk35.JsonContent).json.c).toBe(3);
    expect(((await invoke("add-text")) as sdk35.TextContent).text).toBe("3");
    expect(await invoke("add-none")).toBeInstanceOf(sdk35.EmptyContent);
    const file = (await invoke("add-file")) as sdk35.FileContent;
    expect([file.name, file.mimeType, new TextDecoder().decode(file.data)]).toEqual([
      "hello.text",
      "application/text",
      "hello world",
    ]);
    await toolkit.stop();
    expect(await client1.agents.listToolkits()).toEqual([]);
  });

  it("test_toolkit_description_json_round_trip, with the description coming from the room's listing", async () => {
    // Upstream round-trips a hand-written description through ToolkitDescription; here the description
    // is what the local room lists for a registered toolkit, so the room's listing format is what is checked.
    const [client1, client2] = await twoClients();
    const math = new sdk39.Toolkit({
      name: "math",
      title: "Math Toolkit",
      description: "Performs mathematical operations",
      thumbnailUrl: "https://example.com/toolkit.png",
      tools: [
        new (class extends sdk39.Tool {
          async execute(): Promise<Sdk39.Content> {
            return new sdk39.EmptyContent();
          }
        })({
          name: "adder",
          title: "Adder",
          description: "Adds two numbers",
          inputSchema: { type: "object" },
          outputSpec: new sdk39.ToolContentSpec({
            types: ["json", "text"],
            stream: true,
            schema: { type: "object", properties: { c: { type: "number" } } },
          }),
          thumbnailUrl: "https://example.com/tool.png",
        }),
        tool("subtractor", () => new sdk39.EmptyContent()),
      ],
    });
    const hosted = await sdk39.startHostedToolkit({ room: client1, toolkit: math, public_: true });
    const [listed] = await client2.agents.listToolkits();
    expect(listed.toJson()).toEqual({
      name: "math",
      title: "Math Toolkit",
      description: "Performs mathematical operations",
      thumbnail_url: "https://example.com/toolkit.png",
      participant_id: client1.localParticipant!.id,
      tools: [
        {
          name: "adder",
          title: "Adder",
          description: "Adds two numbers",
          input_spec: { types: ["json"], stream: false, schema: { type: "object" } },
          output_spec: {
            types: ["json", "text"],
            stream: true,
            schema: { type: "object", properties: { c: { type: "number" } } },
          },
          thumbnail_url: "https://example.com/tool.png",
          defs: undefined,
          pricing: undefined,
        },
        {
          name: "subtractor",
          title: "Add two numbers",
          description: "Adds two numbers",
          input_spec: { types: ["json"], stream: false, schema: ADD_SCHEMA },
          output_spec: undefined,
          thumbnail_url: undefined,
          defs: undefined,
          pricing: undefined,
        },
      ],
    });
    await hosted.stop();
  });
});
