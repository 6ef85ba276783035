import { mkdtempSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { readFileSync } from "node:fs";
import { build } from "esbuild";
import { ROOT } from "./paths";

export interface BarePageBundle {
  file: string;
  bytes: number;
  gzipBytes: number;
  dispose(): void;
}

/**
 * The SDK's UTF-8 polyfill, swapped for the native codecs exactly as the app
 * does (next.config.ts), so neither side pays for 500 KiB of CJK tables.
 */
export const NATIVE_TEXT_ENCODING_ALIAS = {
  "@kayahr/text-encoding": path.join(ROOT, "lib", "native-text-encoding.ts"),
};

/** Bundles a browser script of tooling/bench/lib (bare-page-client.ts unless told; SDK included, minified, browser conditions) into a temp file. */
export async function bundleBarePage(script = "bare-page-client.ts"): Promise<BarePageBundle> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "bench-bare-"));
  const file = path.join(dir, "bare.js");
  await build({
    entryPoints: [path.join(ROOT, "tooling", "bench", "lib", script)],
    outfile: file,
    bundle: true,
    minify: true,
    format: "iife",
    platform: "browser",
    target: "es2022",
    define: { "process.env.NODE_ENV": '"production"' },
    alias: NATIVE_TEXT_ENCODING_ALIAS,
    logLevel: "error",
  });
  return {
    file,
    bytes: statSync(file).size,
    gzipBytes: gzipSync(readFileSync(file)).length,
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
}
