// The turn protocol's threads, kept in room storage under the agent's own
// folder so they survive an agent restart and a page reload:
//
//   .threads/<agent>/<owner key>/index.json        the owner's thread list
//   .threads/<agent>/<owner key>/<uuid>.json       one thread: name, times, stored events
//
// The owner key is a hash of the sender's room identity (its `name`), so a
// name never becomes a path and one owner's files are all in one folder. The
// thread id handed to clients is the thread file's path without ".json";
// every lookup checks that the id lies in the asking owner's folder *and* that
// the thread loaded from it names that owner, so a guessed or copied id from
// another participant reads as "no such thread".

import { createHash, randomUUID } from "node:crypto";
import { TURN_LIMITS } from "../../lib/shared/agent-turn/limits";
import type { AgentEvent, ThreadEntry } from "../../lib/shared/agent-turn/messages";
import type { RoomFiles } from "./port";
import { compactStoredEvents, nextTurnStart } from "./stored-events";

export interface TurnStoreLimits {
  /** Threads one owner may have; starting another is refused until one is deleted. Default 100. */
  maxThreadsPerOwner?: number;
  /** Stored events per thread; the oldest whole turns are dropped past it. Default 4000. */
  maxEventsPerThread?: number;
  /** Stored JSON characters per thread; the oldest whole turns are dropped past it. Default 1 000 000. */
  maxThreadChars?: number;
  /** Owners whose thread lists are cached in memory; the least recently used idle one is forgotten. Default 500. */
  maxCachedOwners?: number;
}

export interface TurnThread {
  readonly id: string;
  readonly owner: string;
  name: string;
  readonly createdAt: string;
  modifiedAt: string;
  /** Stored agent events, replayed by thread.open {load: true}. */
  events: AgentEvent[];
  /** Whether `events` has been read from storage yet. */
  loaded: boolean;
}

interface OwnerIndex {
  threads: Map<string, TurnThread>;
  /** false when storage could not be read for this owner: keep going in memory, never overwrite what is there. */
  persistent: boolean;
}

const INDEX_FILE = "index.json";
const THREAD_NAME_MAX = 100;
const FILE_READ_MAX = 16 * 1024 * 1024;

export class ThreadLimitError extends Error {
  constructor(readonly limit: number) {
    super(`You already have ${limit} threads with this agent. Delete one to start another.`);
    this.name = "ThreadLimitError";
  }
}

/** A thread's name: the first words of its first message, bounded. */
export function threadNameFrom(text: string): string {
  const words = text.replace(/\s+/g, " ").trim().split(" ").slice(0, 8).join(" ");
  const bounded = words.length > 60 ? `${words.slice(0, 59).trimEnd()}…` : words;
  return bounded || "New chat";
}

function cleanThreadName(name: string): string {
  const cleaned = name
    .replace(/[\u0000-\u001f\u007f]/g, " ")
    .replace(/\s+/g, " ")
    .trim();
  return cleaned.slice(0, THREAD_NAME_MAX) || "New chat";
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export class TurnThreadStore {
  private readonly owners = new Map<string, Promise<OwnerIndex>>();
  private readonly writes = new Map<string, Promise<void>>();
  private readonly root: string;
  private readonly maxThreadsPerOwner: number;
  private readonly maxEvents: number;
  private readonly maxChars: number;
  private readonly maxCachedOwners: number;

  constructor(
    agentName: string,
    private readonly files: () => RoomFiles | null,
    limits: TurnStoreLimits = {},
    private readonly log: (line: string) => void = () => {},
  ) {
    this.root = `.threads/${agentName}`;
    this.maxThreadsPerOwner = limits.maxThreadsPerOwner ?? 100;
    this.maxEvents = limits.maxEventsPerThread ?? 4000;
    this.maxChars = limits.maxThreadChars ?? 1_000_000;
    this.maxCachedOwners = limits.maxCachedOwners ?? 500;
  }

  private folderOf(owner: string): string {
    const key = createHash("sha256").update(owner, "utf8").digest("hex").slice(0, 32);
    return `${this.root}/${key}`;
  }

  /** The owner's threads, newest first. */
  async list(owner: string): Promise<TurnThread[]> {
    const index = await this.index(owner);
    return [...index.threads.values()].sort((a, b) => b.modifiedAt.localeCompare(a.modifiedAt));
  }

  /** The owner's thread with this id, events loaded; null for an unknown id or another owner's. */
  async get(owner: string, id: string): Promise<TurnThread | null> {
    if (!id.startsWith(`${this.folderOf(owner)}/`)) return null;
    const index = await this.index(owner);
    const thread = index.threads.get(id);
    if (!thread || thread.owner !== owner) return null;
    if (!thread.loaded) await this.loadEvents(thread, index);
    return thread;
  }

  async create(owner: string, name: string): Promise<TurnThread> {
    const index = await this.index(owner);
    if (index.threads.size >= this.maxThreadsPerOwner) throw new ThreadLimitError(this.maxThreadsPerOwner);
    const now = new Date().toISOString();
    const thread: TurnThread = {
      id: `${this.folderOf(owner)}/${randomUUID()}`,
      owner,
      name: cleanThreadName(name),
      createdAt: now,
      modifiedAt: now,
      events: [],
      loaded: true,
    };
    index.threads.set(thread.id, thread);
    this.saveThread(thread, index);
    this.saveIndex(owner, index);
    return thread;
  }

  rename(thread: TurnThread, name: string): void {
    thread.name = cleanThreadName(name);
    this.touch(thread);
  }

  /** Marks the thread changed (list order, modified_at) and saves it. */
  touch(thread: TurnThread): void {
    thread.modifiedAt = new Date().toISOString();
    void this.index(thread.owner).then((index) => {
      this.saveThread(thread, index);
      this.saveIndex(thread.owner, index);
    });
  }

  async delete(thread: TurnThread): Promise<void> {
    const index = await this.index(thread.owner);
    index.threads.delete(thread.id);
    this.saveIndex(thread.owner, index);
    if (index.persistent) {
      await this.queueWrite(`${thread.id}.json`, async (files) => {
        if (await files.stat(`${thread.id}.json`)) await files.delete(`${thread.id}.json`);
      });
    }
  }

  /** Adds one event to the thread in memory (saved by touch/compact at turn boundaries). */
  append(thread: TurnThread, event: AgentEvent): void {
    thread.events.push(event);
  }

  /**
   * At the end of a turn: stores each finished turn in its compact form (a
   * replay needs each item's text, not 1,500 pieces of it, see
   * stored-events.ts), drops the oldest whole turns past the caps, and saves.
   */
  compact(thread: TurnThread): void {
    thread.events = compactStoredEvents(thread.events);
    let chars = thread.events.reduce((sum, event) => sum + JSON.stringify(event).length, 0);
    while (thread.events.length > 0 && (thread.events.length > this.maxEvents || chars > this.maxChars)) {
      const next = nextTurnStart(thread.events);
      const dropped = thread.events.splice(0, next > 0 ? next : thread.events.length);
      chars -= dropped.reduce((sum, event) => sum + JSON.stringify(event).length, 0);
    }
    this.touch(thread);
  }

  clear(thread: TurnThread): void {
    thread.events = [];
    this.touch(thread);
  }

  entry(thread: TurnThread): ThreadEntry {
    return { path: thread.id, name: thread.name, created_at: thread.createdAt, modified_at: thread.modifiedAt };
  }

  /** Forgets cached owners (e.g. after a reconnect, storage may have changed); stored data stays. */
  forgetCache(): void {
    this.owners.clear();
  }

  /** Resolves when every queued write has finished. */
  async flushed(): Promise<void> {
    while (this.writes.size > 0) await Promise.allSettled([...this.writes.values()]);
  }

  private index(owner: string): Promise<OwnerIndex> {
    let index = this.owners.get(owner);
    if (index) {
      // Map order is recency order.
      this.owners.delete(owner);
      this.owners.set(owner, index);
      return index;
    }
    index = this.readIndex(owner);
    this.owners.set(owner, index);
    while (this.owners.size > this.maxCachedOwners) {
      const oldest = this.owners.keys().next().value as string;
      this.owners.delete(oldest);
    }
    return index;
  }

  private async readIndex(owner: string): Promise<OwnerIndex> {
    const files = this.files();
    const threads = new Map<string, TurnThread>();
    if (!files) return { threads, persistent: false };
    const folder = this.folderOf(owner);
    try {
      const raw = await files.read(`${folder}/${INDEX_FILE}`, FILE_READ_MAX);
      if (raw) {
        const parsed = JSON.parse(decoder.decode(raw)) as { owner?: unknown; threads?: unknown };
        if (parsed.owner === owner && Array.isArray(parsed.threads)) {
          for (const item of parsed.threads.slice(0, this.maxThreadsPerOwner) as Record<string, unknown>[]) {
            if (typeof item?.id !== "string" || !item.id.startsWith(`${folder}/`)) continue;
            if (item.id.length > TURN_LIMITS.threadId) continue;
            threads.set(item.id, {
              id: item.id,
              owner,
              name: cleanThreadName(String(item.name ?? "")),
              createdAt: String(item.created_at ?? ""),
              modifiedAt: String(item.modified_at ?? ""),
              events: [],
              loaded: false,
            });
          }
        }
      }
      return { threads, persistent: true };
    } catch (error) {
      this.log(`could not read the thread list of one participant from room storage: ${String(error)}`);
      return { threads, persistent: false };
    }
  }

  private async loadEvents(thread: TurnThread, index: OwnerIndex): Promise<void> {
    thread.loaded = true;
    const files = this.files();
    if (!files || !index.persistent) return;
    try {
      const raw = await files.read(`${thread.id}.json`, FILE_READ_MAX);
      if (!raw) return;
      const parsed = JSON.parse(decoder.decode(raw)) as { owner?: unknown; events?: unknown };
      // Stored events were parsed when they were made; they are re-parsed on replay anyway.
      if (parsed.owner === thread.owner && Array.isArray(parsed.events)) {
        thread.events = (parsed.events as AgentEvent[]).slice(-this.maxEvents);
      }
    } catch (error) {
      this.log(`could not read a thread from room storage: ${String(error)}`);
    }
  }

  private saveIndex(owner: string, index: OwnerIndex): void {
    if (!index.persistent) return;
    const path = `${this.folderOf(owner)}/${INDEX_FILE}`;
    void this.queueWrite(path, (files) =>
      files.write(
        path,
        encoder.encode(
          JSON.stringify({
            version: 1,
            owner,
            threads: [...index.threads.values()].map((t) => ({
              id: t.id,
              name: t.name,
              created_at: t.createdAt,
              modified_at: t.modifiedAt,
            })),
          }),
        ),
      ),
    );
  }

  private saveThread(thread: TurnThread, index: OwnerIndex): void {
    if (!index.persistent || !thread.loaded) return;
    const path = `${thread.id}.json`;
    void this.queueWrite(path, (files) => {
      if (!index.threads.has(thread.id)) return Promise.resolve();
      return files.write(
        path,
        encoder.encode(
          JSON.stringify({
            version: 1,
            owner: thread.owner,
            name: thread.name,
            created_at: thread.createdAt,
            modified_at: thread.modifiedAt,
            events: thread.events,
          }),
        ),
      );
    });
  }

  /**
   * Writes to one path run one at a time, in order; a write queued while
   * another waits replaces it (only the newest state matters).
   */
  private queueWrite(path: string, write: (files: RoomFiles) => Promise<void>): Promise<void> {
    const previous = this.writes.get(path) ?? Promise.resolve();
    const next = previous.then(async () => {
      if (this.writes.get(path) !== next) return; // superseded by a newer write
      const files = this.files();
      if (!files) return;
      try {
        await write(files);
      } catch (error) {
        this.log(`could not save ${path.split("/").pop()} to room storage: ${String(error)}`);
      }
    });
    this.writes.set(path, next);
    void next.finally(() => {
      if (this.writes.get(path) === next) this.writes.delete(path);
    });
    return next;
  }
}
