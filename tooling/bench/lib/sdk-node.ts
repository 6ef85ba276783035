/**
 * The real, unmodified SDK for the fan-out clients in Node, loaded from an
 * esbuild bundle that maps its `@kayahr/text-encoding` import to the native
 * codecs: the same substitution the app makes in the browser
 * (next.config.ts). Without it the 10-200 clients, which share the bench
 * process, spend most of their CPU in the polyfill's JavaScript UTF-8 decoder
 * and the fan-out numbers measure that instead of the room server.
 */

import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { build } from "esbuild";
import { NATIVE_TEXT_ENCODING_ALIAS } from "./bare-page";
import { ROOT } from "./paths";

type NodeSdk = Pick<
  typeof import("@meshagent/meshagent"),
  "ParticipantToken" | "Protocol" | "RoomClient" | "WebSocketProtocolChannel"
>;

let loaded: Promise<NodeSdk> | null = null;

export function loadNodeSdk(): Promise<NodeSdk> {
  loaded ??= (async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "bench-sdk-"));
    const file = path.join(dir, "sdk.cjs");
    try {
      await build({
        stdin: {
          contents:
            'export { ParticipantToken, Protocol, RoomClient, WebSocketProtocolChannel } from "@meshagent/meshagent";',
          resolveDir: ROOT,
          loader: "js",
        },
        outfile: file,
        bundle: true,
        format: "cjs",
        platform: "node",
        target: "node20",
        // ws's optional native add-ons.
        external: ["bufferutil", "utf-8-validate"],
        alias: NATIVE_TEXT_ENCODING_ALIAS,
        logLevel: "error",
      });
      return createRequire(import.meta.url)(file) as NodeSdk;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  })();
  return loaded;
}
