// Toolkit hosts and callers for the local room's toolkit tests, on both SDKs:
// 0.35.8 (`RemoteToolkit` + `start({public_})`) and 0.39.9 (`startHostedToolkit`).
// Each tool is a function of its JSON arguments returning the SDK's own Content.

import { createRequire } from "node:module";
import { afterEach } from "vitest";
import * as sdk35 from "@meshagent/meshagent";
import type * as Sdk39 from "meshagent-sdk-0.39";
import type { Harness } from "./test-helpers";
import { sdkToken, withTimeout } from "./test-helpers";

/**
 * 0.39.9 through its CommonJS build: its ESM build (dist/esm) uses `exports`
 * in a "type": "module" folder and cannot be imported under Vitest.
 */
export const sdk39 = createRequire(import.meta.url)("meshagent-sdk-0.39") as typeof Sdk39;

type Execute<C> = (args: Record<string, unknown>) => Promise<C> | C;

export const ADD_SCHEMA = {
  type: "object",
  required: ["a", "b"],
  additionalProperties: false,
  properties: { a: { type: "number" }, b: { type: "number" } },
};

class Tool35 extends sdk35.Tool {
  constructor(
    name: string,
    private readonly run: Execute<sdk35.Content>,
  ) {
    super({ name, title: `${name} title`, description: `${name} description`, inputSchema: ADD_SCHEMA });
  }
  async execute(args: Record<string, unknown>): Promise<sdk35.Content> {
    return this.run(args);
  }
}

class Toolkit35 extends sdk35.RemoteToolkit {}

class Tool39 extends sdk39.Tool {
  constructor(
    name: string,
    private readonly run: Execute<Sdk39.Content>,
  ) {
    super({ name, title: `${name} title`, description: `${name} description`, inputSchema: ADD_SCHEMA });
  }
  async execute(args: Record<string, unknown>): Promise<Sdk39.Content> {
    return this.run(args);
  }
}

/** Registers `tools` as toolkit `name` from a 0.35.8 client; resolves once registered. */
export async function host35(
  room: sdk35.RoomClient,
  name: string,
  tools: Record<string, Execute<sdk35.Content>>,
  { public_ = false }: { public_?: boolean } = {},
): Promise<sdk35.RemoteToolkit> {
  const toolkit = new Toolkit35({
    name,
    title: `${name} toolkit`,
    description: `the ${name} toolkit`,
    room,
    tools: Object.entries(tools).map(([tool, run]) => new Tool35(tool, run)),
  });
  await toolkit.start({ public_ });
  return toolkit;
}

/** Registers `tools` as toolkit `name` from a 0.39.9 client. */
export async function host39(
  room: Sdk39.RoomClient,
  name: string,
  tools: Record<string, Execute<Sdk39.Content>>,
  { public_ = false }: { public_?: boolean } = {},
): Promise<Sdk39.HostedToolkit> {
  const toolkit = new sdk39.Toolkit({
    name,
    title: `${name} toolkit`,
    description: `the ${name} toolkit`,
    tools: Object.entries(tools).map(([tool, run]) => new Tool39(tool, run)),
  });
  return sdk39.startHostedToolkit({ room, toolkit, public_ });
}

/**
 * Disposes what a test registers, after it and before the harness's own
 * teardown (Vitest runs after-hooks in reverse), so no 0.39.9 client sees its server vanish.
 * Call after useHarness().
 */
export function useDisposers(): (dispose: () => void) => void {
  const disposers: (() => void)[] = [];
  afterEach(() => {
    while (disposers.length > 0) disposers.pop()?.();
  });
  return (dispose) => void disposers.push(dispose);
}

/** A 0.39.9 client in the harness's room, started; disposed after the test. */
export async function join39(
  h: Harness,
  name: string,
  opts: { room?: string; api?: sdk35.ApiScope; cleanup: (dispose: () => void) => void },
): Promise<Sdk39.RoomClient> {
  const roomName = opts.room ?? "test";
  const token = await sdkToken({ name, room: roomName, api: opts.api });
  const room = new sdk39.RoomClient({
    protocolFactory: sdk39.WebSocketClientProtocol.createFactory({
      url: `${h.server.url}/rooms/${encodeURIComponent(roomName)}`,
      token,
    }),
    // A test's server goes away at its end: no reconnect attempts into the next test.
    reconnectTimeout: 0,
  });
  opts.cleanup(() => room.dispose());
  await withTimeout(room.start(), 3000, `${name} (0.39.9) start()`);
  return room;
}

/** Rejection of a promise, or null if it resolved; fails on a hang. */
export async function outcome(promise: Promise<unknown>, ms = 5000): Promise<unknown> {
  return withTimeout(
    promise.then(
      () => null,
      (error: unknown) => error,
    ),
    ms,
    "call",
  );
}
