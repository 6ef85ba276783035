import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // The e2e suite's `next dev` builds in .next-e2e (playwright.config.ts): Next
  // locks a dev build folder, so a second `next dev` on .next would stop with
  // "Another next dev server is already running" while `npm run dev` runs.
  ...(process.env.NEXT_DIST_DIR ? { distDir: process.env.NEXT_DIST_DIR } : {}),
  poweredByHeader: false,
  // On the server the SDK is loaded by Node, once per process: bundled, every
  // server bundle (routes, pages, SSR) evaluated its own copy of the SDK's
  // pre-bundled Yjs, and Yjs warned "already imported" for each.
  serverExternalPackages: ["@meshagent/meshagent"],
  // StrictMode stays on: the room view is written to survive its double effects.
  reactStrictMode: true,
  // `npm run dev` listens on 127.0.0.1; the app must work whichever of the two names the browser used.
  allowedDevOrigins: ["localhost", "127.0.0.1"],
  // No page of the app may be framed by another site (clickjacking): every response says so, in both headers
  // browsers know. Kept to frame-ancestors so it adds no script or style policy the pages would have to satisfy.
  async headers() {
    return [
      {
        source: "/:path*",
        headers: [
          { key: "Content-Security-Policy", value: "frame-ancestors 'none'" },
          { key: "X-Frame-Options", value: "DENY" },
        ],
      },
    ];
  },
  turbopack: {
    // The SDK's UTF-8 polyfill drags ~500 KB of CJK tables into the room chunk: use the native codecs.
    resolveAlias: {
      "@kayahr/text-encoding": "./lib/native-text-encoding.ts",
      // Where Next sends the `Buffer` global in browser bundles: the SDK's
      // `instanceof Buffer` would pull in a ~7 KiB polyfill (lib/browser-buffer.ts).
      "next/dist/compiled/buffer": { browser: "./lib/browser-buffer.ts" },
    },
    rules: {
      // The SDK's document runtime (Yjs, ~29 KiB gzip) only matters once a
      // document is opened (Shared notes): browsers load it then, not with the
      // room page. Why and how: lib/room/lazy-document-runtime.ts.
      "**/@meshagent/meshagent/dist/esm/runtime.js": {
        condition: "browser",
        loaders: ["./tooling/turbopack/lazy-document-runtime-loader.cjs"],
      },
    },
  },
};

export default nextConfig;
