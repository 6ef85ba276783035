// What the agent remembers per room: one thread per person (participant
// name), with a bounded history and at most one reply in progress. Bounded
// everywhere, because names and messages come from other people.

import { RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";
import type { ChatTurn } from "./brain/types";

interface ThreadJob {
  readonly controller: AbortController;
  readonly startedAt: Date;
  statusText: string;
}

export interface Thread {
  /** The owner's own path (threadPath of their name): status attributes and replies use it. */
  readonly path: string;
  /** Participant name of the owner, the identity the room vouches for; a thread is only ever theirs. */
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
  /** Turns kept per thread (user + assistant). Default 20. */
  maxHistory?: number;
  /** Characters kept per thread across those turns. Default 24 000. */
  maxHistoryChars?: number;
}

export type OpenResult = { ok: true; thread: Thread; created: boolean } | { ok: false };

/**
 * One thread per participant name, the identity the room vouches for (it
 * comes from their token). The handler only ever opens a sender's thread at
 * the sender's own path, so a thread, its status attributes, its busy state
 * and its Stop all belong to exactly one identity (issue 19 M6). Several tabs
 * of one person share their thread; two people with the same display name are
 * one identity to the room, and so to the agent.
 */
export class ThreadStore {
  // Map order doubles as recency order: touching a thread moves it to the end.
  private readonly threads = new Map<string, Thread>();
  private readonly maxThreads: number;
  private readonly maxHistory: number;
  private readonly maxHistoryChars: number;

  constructor(limits: ThreadLimits = {}) {
    this.maxThreads = limits.maxThreads ?? 1000;
    this.maxHistory = limits.maxHistory ?? 20;
    this.maxHistoryChars = limits.maxHistoryChars ?? 24_000;
  }

  get size(): number {
    return this.threads.size;
  }

  get(ownerName: string): Thread | undefined {
    return this.threads.get(ownerName);
  }

  /** `ownerName`'s thread (at their own `path`), created if new; refused only when every slot is busy. */
  open(ownerName: string, path: string): OpenResult {
    const existing = this.threads.get(ownerName);
    if (existing) {
      this.threads.delete(ownerName);
      this.threads.set(ownerName, existing);
      return { ok: true, thread: existing, created: false };
    }
    if (this.threads.size >= this.maxThreads && !this.evictOldestIdle()) return { ok: false };
    const thread: Thread = {
      path,
      ownerName,
      history: [],
      subscribers: new Set(),
      job: null,
      greeted: false,
      lastTypingAt: 0,
    };
    this.threads.set(ownerName, thread);
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

  private evictOldestIdle(): boolean {
    for (const thread of this.threads.values()) {
      if (thread.job === null) {
        this.threads.delete(thread.ownerName);
        return true;
      }
    }
    return false;
  }
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
