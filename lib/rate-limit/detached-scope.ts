import "server-only";
import { AsyncResource } from "node:async_hooks";

/**
 * An async scope that belongs to no request. A timer keeps the async context
 * it was created in (Next's request stores: the request, its headers, the
 * response being built) until it fires; rate-limiter-flexible's memory store
 * starts one expiry timer per key, so counting inside a request kept every
 * counted request alive for the whole window (issue 19 M5). Counting inside
 * this scope leaves the timers with nothing to keep.
 *
 * The scope is shared through globalThis (route handlers, server actions and
 * instrumentation are separate bundles) and made at server start by
 * instrumentation.ts, outside any request. Made later, it would keep the one
 * request it was made in, and no other.
 */
const SCOPE_KEY = Symbol.for("meshagent-starter.detached-scope");
type Holder = { [SCOPE_KEY]?: AsyncResource };

export function prepareDetachedScope(): void {
  const holder = globalThis as Holder;
  holder[SCOPE_KEY] ??= new AsyncResource("meshagent-starter.rate-limit");
}

/** Runs `work` outside the current request's async context. */
export function runDetached<T>(work: () => T): T {
  prepareDetachedScope();
  return (globalThis as Holder)[SCOPE_KEY]!.runInAsyncScope(work);
}
