import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: {
    alias: {
      "@": fileURLToPath(new URL(".", import.meta.url)),
      // Next resolves "server-only" to an empty module on the server; tests run server code too.
      "server-only": fileURLToPath(new URL("node_modules/server-only/empty.js", import.meta.url)),
    },
  },
  test: {
    include: [
      "tooling/**/*.test.ts",
      "lib/**/*.test.ts",
      "app/**/*.test.ts",
      "features/**/*.test.ts",
      "agent/**/*.test.ts",
    ],
    environment: "node",
    testTimeout: 15_000,
    // next-auth imports "next/server" without an extension; let Vite resolve it.
    server: { deps: { inline: ["next-auth"] } },
  },
});
