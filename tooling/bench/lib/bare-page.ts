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

/** Bundles bench/lib/bare-page-client.ts (SDK included, minified, browser conditions) into a temp file. */
export async function bundleBarePage(): Promise<BarePageBundle> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "bench-bare-"));
  const file = path.join(dir, "bare.js");
  await build({
    entryPoints: [path.join(ROOT, "bench", "lib", "bare-page-client.ts")],
    outfile: file,
    bundle: true,
    minify: true,
    format: "iife",
    platform: "browser",
    target: "es2022",
    define: { "process.env.NODE_ENV": '"production"' },
    logLevel: "error",
  });
  return {
    file,
    bytes: statSync(file).size,
    gzipBytes: gzipSync(readFileSync(file)).length,
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
}
