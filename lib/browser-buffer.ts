// Browsers have no Buffer, so Turbopack gives every module that mentions the
// global one a ~7 KiB (gzip) polyfill. In the room page's bundle the only
// mention is the SDK's WebSocket channel (protocol.js: `data instanceof
// Buffer`), and a browser WebSocket never delivers a Buffer. next.config.ts
// points browser bundles here instead: a class nothing is an instance of.
// It has no methods, so any other use (Buffer.from, ...) fails at once.
export class Buffer {
  constructor() {
    throw new Error("Buffer is not available in browser bundles (see lib/browser-buffer.ts and next.config.ts).");
  }
}
