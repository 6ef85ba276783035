import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: {
    alias: { "@": fileURLToPath(new URL(".", import.meta.url)) },
  },
  test: {
    include: ["tooling/**/*.test.ts", "lib/**/*.test.ts", "app/**/*.test.ts", "agent/**/*.test.ts"],
    environment: "node",
    testTimeout: 15_000,
    // next-auth imports "next/server" without an extension; let Vite resolve it.
    server: { deps: { inline: ["next-auth"] } },
  },
});
