// Turbopack loader for @meshagent/meshagent's dist/esm/runtime.js in browser
// bundles (see next.config.ts): the SDK's four document-runtime functions come
// from lib/room/lazy-document-runtime.ts, which imports the real pre-bundled
// runtime (./entrypoint.js, Yjs) the first time a document needs it.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- Turbopack runs loaders as CommonJS.
const path = require("node:path");

const lazyRuntime = path.join(__dirname, "..", "..", "lib", "room", "lazy-document-runtime.ts");

module.exports = function lazyDocumentRuntimeLoader() {
  // Turbopack resolves relative requests only (not absolute paths) from here.
  const fromRuntime = path.relative(path.dirname(this.resourcePath), lazyRuntime).split(path.sep).join("/");
  if (!fromRuntime.startsWith("../")) throw new Error(`unexpected location of the SDK runtime: ${this.resourcePath}`);
  return [
    `import { installLazyDocumentRuntime } from ${JSON.stringify(fromRuntime)};`,
    `export const { registerDocument, unregisterDocument, applyChanges, applyBackendChanges } =`,
    `  installLazyDocumentRuntime(() => import("./entrypoint.js"));`,
    "",
  ].join("\n");
};
