import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  poweredByHeader: false,
  // StrictMode stays on: the room view is written to survive its double effects.
  reactStrictMode: true,
};

export default nextConfig;
