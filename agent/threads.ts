// What the agent remembers per room: one thread per path, each bound to the
// person who opened it, with a bounded history and at most one reply in
// progress. Bounded everywhere, because thread paths come from other people.

import { RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";
import type { ChatTurn } from "./brain/types";

interface ThreadJob {
  readonly controller: AbortController;
  readonly startedAt: Date;
  statusText: string;
}

export interface Thread {
  readonly path: string;
  /** Display name of the sender; a thread is only ever theirs (see ThreadStore). */
  readonly ownerName: string;
  readonly history: ChatTurn[];
  /** Participant ids (one per tab or device) that have this thread open and get its replies. */
  readonly subscribers: Set<string>;
  job: ThreadJob | null;
  greeted: boolean;
  lastTypingAt: number;
}

export interface ThreadLimits {
  /** Threads kept per room; the least recently used idle one goes first. Default 1000. */
  maxThreads?: number;
  /** Threads one person may hold; their least recently used idle one goes first. Default 8. */
  maxThreadsPerOwner?: number;
  /** Turns kept per thread (user + assistant). Default 20. */
  maxHistory?: number;
  /** Characters kept per thread across those turns. Default 24 000. */
  maxHistoryChars?: number;
}

export type OpenResult = { ok: true; thread: Thread; created: boolean } | { ok: false };

/**
 * Threads are keyed by sender and path, not by path alone. The room tells the
 * agent a participant's display name, not the user id inside the path, so the
 * agent cannot prove that `.threads/<agent>/<user id>.thread` is the sender's.
 * Scoping every path to its sender makes that moot: whatever path someone
 * sends, they only ever reach their own thread, never read, write into, stop
 * or squat on another person's.
 */
export class ThreadStore {
  // Map order doubles as recency order: touching a thread moves it to the end.
  private readonly threads = new Map<string, Thread>();
  private readonly maxThreads: number;
  private readonly maxThreadsPerOwner: number;
  private readonly maxHistory: number;
  private readonly maxHistoryChars: number;

  constructor(limits: ThreadLimits = {}) {
    this.maxThreads = limits.maxThreads ?? 1000;
    this.maxThreadsPerOwner = limits.maxThreadsPerOwner ?? 8;
    this.maxHistory = limits.maxHistory ?? 20;
    this.maxHistoryChars = limits.maxHistoryChars ?? 24_000;
  }

  get size(): number {
    return this.threads.size;
  }

  get(path: string, senderName: string): Thread | undefined {
    return this.threads.get(key(path, senderName));
  }

  /** `senderName`'s thread at `path`, created if new; refused only when every slot is busy. */
  open(path: string, senderName: string): OpenResult {
    const k = key(path, senderName);
    const existing = this.threads.get(k);
    if (existing) {
      this.threads.delete(k);
      this.threads.set(k, existing);
      return { ok: true, thread: existing, created: false };
    }
    const owned = [...this.threads.values()].filter((t) => t.ownerName === senderName);
    if (owned.length >= this.maxThreadsPerOwner && !this.evictOldestIdle(owned)) return { ok: false };
    if (this.threads.size >= this.maxThreads && !this.evictOldestIdle(this.threads.values())) return { ok: false };
    const thread: Thread = {
      path,
      ownerName: senderName,
      history: [],
      subscribers: new Set(),
      job: null,
      greeted: false,
      lastTypingAt: 0,
    };
    this.threads.set(k, thread);
    return { ok: true, thread, created: true };
  }

  remember(thread: Thread, turn: ChatTurn): void {
    thread.history.push(turn);
    let chars = thread.history.reduce((sum, t) => sum + t.text.length, 0);
    while (thread.history.length > this.maxHistory || (thread.history.length > 1 && chars > this.maxHistoryChars)) {
      chars -= thread.history.shift()!.text.length;
    }
  }

  /** A participant left the room: it no longer gets replies. */
  forgetParticipant(participantId: string): void {
    for (const thread of this.threads.values()) thread.subscribers.delete(participantId);
  }

  /** Every participant id is stale after a reconnect (the room hands out new ones). */
  forgetAllParticipants(): void {
    for (const thread of this.threads.values()) thread.subscribers.clear();
  }

  working(): Thread[] {
    return [...this.threads.values()].filter((t) => t.job !== null);
  }

  /** Status attributes are per path; two senders using one path must not work on it at once. */
  pathBusy(path: string): boolean {
    return this.working().some((t) => t.path === path);
  }

  private evictOldestIdle(candidates: Iterable<Thread>): boolean {
    for (const thread of candidates) {
      if (thread.job === null) {
        this.threads.delete(key(thread.path, thread.ownerName));
        return true;
      }
    }
    return false;
  }
}

function key(path: string, senderName: string): string {
  return JSON.stringify([senderName, path]);
}

export interface SenderLimit {
  /** Messages that make the agent work (opened, chat) per window. Default 6. */
  points?: number;
  /** Window length in seconds. Default 10. */
  durationSeconds?: number;
}

/** Limits how fast one sender (by display name, so reconnecting does not reset it) can make the agent work. */
export class SenderLimiter {
  private readonly limiter: RateLimiterMemory;
  private readonly noticed = new Map<string, number>();

  constructor(limit: SenderLimit = {}) {
    this.limiter = new RateLimiterMemory({ points: limit.points ?? 6, duration: limit.durationSeconds ?? 10 });
  }

  /** "ok", "notify" (first refusal in this window: tell them once), or "drop". */
  async take(sender: string): Promise<"ok" | "notify" | "drop"> {
    try {
      await this.limiter.consume(sender);
      return "ok";
    } catch (error) {
      if (!(error instanceof RateLimiterRes)) throw error;
      const now = Date.now();
      const until = this.noticed.get(sender) ?? 0;
      if (now < until) return "drop";
      this.noticed.set(sender, now + error.msBeforeNext);
      if (this.noticed.size > 10_000) this.pruneNotices(now);
      return "notify";
    }
  }

  private pruneNotices(now: number): void {
    for (const [sender, until] of this.noticed) if (until <= now) this.noticed.delete(sender);
  }
}
