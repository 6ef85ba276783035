import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  poweredByHeader: false,
  // StrictMode stays on: the room view is written to survive its double effects.
  reactStrictMode: true,
  // `npm run dev` listens on 127.0.0.1; the app must work whichever of the two names the browser used.
  allowedDevOrigins: ["localhost", "127.0.0.1"],
  // The SDK's UTF-8 polyfill drags ~500 KB of CJK tables into the room chunk: use the native codecs.
  turbopack: {
    resolveAlias: { "@kayahr/text-encoding": "./lib/native-text-encoding.ts" },
  },
};

export default nextConfig;
