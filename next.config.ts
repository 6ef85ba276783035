import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  poweredByHeader: false,
  // StrictMode stays on: the room view is written to survive its double effects.
  reactStrictMode: true,
  // Benchmarks build into their own folder so they never clobber a dev or e2e build.
  distDir: process.env.NEXT_DIST_DIR || ".next",
};

export default nextConfig;
