// Browsers have no Buffer, so Turbopack gives every module that mentions the
// global one a ~7 KiB (gzip) polyfill. In the room page's bundle the only
// mention is the SDK's WebSocket channel (protocol.js: `data instanceof
// Buffer`), and a browser WebSocket never delivers a Buffer. next.config.ts
// points browser bundles here instead: a class nothing is an instance of, and
// any other use fails with this message rather than half-working.
function unavailable(): Error {
  return new Error("Buffer is not available in browser bundles (see lib/browser-buffer.ts and next.config.ts).");
}

class BrowserHasNoBuffer {
  constructor() {
    throw unavailable();
  }
}

export const Buffer = new Proxy(BrowserHasNoBuffer, {
  get(target, key, receiver) {
    // `instanceof` reads these two; everything else (Buffer.from, .alloc, ...) is a real use.
    if (key === Symbol.hasInstance || key === "prototype") return Reflect.get(target, key, receiver);
    throw unavailable();
  },
});
