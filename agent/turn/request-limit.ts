// Per-sender request budgets for the turn protocol: a fixed window per key,
// with a bounded number of keys (the oldest window is forgotten first).

export interface RequestLimit {
  /** Requests per window. */
  points: number;
  windowMs: number;
}

export class WindowLimiter {
  private readonly windows = new Map<string, { start: number; used: number }>();

  constructor(
    private readonly limit: RequestLimit,
    private readonly maxKeys = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** true when `key` may make one more request now. */
  take(key: string): boolean {
    const now = this.now();
    let window = this.windows.get(key);
    if (!window || now - window.start >= this.limit.windowMs) {
      this.windows.delete(key);
      window = { start: now, used: 0 };
      this.windows.set(key, window);
      while (this.windows.size > this.maxKeys) this.windows.delete(this.windows.keys().next().value as string);
    }
    if (window.used >= this.limit.points) return false;
    window.used++;
    return true;
  }
}

/** Recently seen message ids per sender: a duplicated request is dropped, not run twice. */
export class RecentIds {
  private readonly ids = new Map<string, Set<string>>();

  constructor(
    private readonly perSender = 256,
    private readonly maxSenders = 2000,
  ) {}

  /** true the first time `id` is seen from `sender`. */
  first(sender: string, id: string): boolean {
    let seen = this.ids.get(sender);
    if (!seen) {
      seen = new Set();
      this.ids.set(sender, seen);
      while (this.ids.size > this.maxSenders) this.ids.delete(this.ids.keys().next().value as string);
    }
    if (seen.has(id)) return false;
    seen.add(id);
    // Set order is insertion order: drop the oldest.
    if (seen.size > this.perSender) seen.delete(seen.values().next().value as string);
    return true;
  }

  forget(sender: string): void {
    this.ids.delete(sender);
  }

  clear(): void {
    this.ids.clear();
  }
}
