import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  poweredByHeader: false,
  // StrictMode stays on: the room view is written to survive its double effects.
  reactStrictMode: true,
  // The e2e suite's `next dev` server uses its own folder (playwright.config.ts); benchmarks build in a private copy.
  distDir: process.env.NEXT_DIST_DIR || ".next",
  // The SDK's UTF-8 polyfill drags ~500 KB of CJK tables into the room chunk: use the native codecs.
  turbopack: {
    resolveAlias: { "@kayahr/text-encoding": "./lib/native-text-encoding.ts" },
  },
};

export default nextConfig;
