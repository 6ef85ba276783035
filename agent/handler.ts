// The agent side of the chatbot contract for one room: validates each direct
// message, keeps threads, runs at most one reply per thread, shows progress as
// participant attributes and answers the thread's user. Never throws.

import { parseIncoming, statusAttributes, threadPath, threadUserOf } from "./contract";
import { BrainError, type Brain, type RoomView } from "./brain/types";
import { SenderLimiter, ThreadStore, type SenderLimit, type Thread, type ThreadLimits } from "./threads";

export interface Peer {
  id: string;
  name: string;
  role: string;
}

/** What the handler needs from a connected room; connection.ts provides it over the real SDK client. */
export interface RoomPort {
  peer(id: string): Peer | null;
  peers(): Peer[];
  send(toId: string, message: { path: string; text: string }): Promise<void>;
  /** One update, so watchers never see half a status. null clears an attribute. */
  setAttributes(attributes: Record<string, string | null>): Promise<void>;
}

export interface ThreadAgentOptions {
  room: string;
  agentName: string;
  brain: Brain;
  /** Longest a reply may take before the user is told it took too long. Default 60 s. */
  replyTimeoutMs?: number;
  /** Replies in progress at once across all threads of the room. Default 8. */
  maxConcurrentReplies?: number;
  limits?: ThreadLimits;
  senderLimit?: SenderLimit;
  log?: (line: string) => void;
}

/** Longest reply sent; a runaway model must not produce a message the room refuses. */
export const MAX_REPLY_LENGTH = 16_000;

type StopReason = "cancel" | "timeout" | "stop";

class JobStopped extends Error {
  constructor(readonly reason: StopReason) {
    super(`reply stopped: ${reason}`);
    this.name = "JobStopped";
  }
}

export interface HandlerCounters {
  /** Messages that passed validation and were acted on. */
  handled: number;
  /** Messages dropped as malformed, foreign or not allowed. */
  ignored: number;
  /** Messages dropped by the per-sender rate limit. */
  limited: number;
  /** Messages naming one of this agent's threads that is not the sender's own (refused, with an error to opened/chat). */
  refused: number;
}

export class ThreadAgent {
  readonly threads: ThreadStore;
  readonly counters: HandlerCounters = { handled: 0, ignored: 0, limited: 0, refused: 0 };
  private port: RoomPort | null = null;
  private readonly limiter: SenderLimiter;
  private readonly jobs = new Set<Promise<void>>();
  private readonly replyTimeoutMs: number;
  private readonly maxConcurrentReplies: number;
  private readonly log: (line: string) => void;

  constructor(private readonly options: ThreadAgentOptions) {
    this.threads = new ThreadStore(options.limits);
    this.limiter = new SenderLimiter(options.senderLimit);
    this.replyTimeoutMs = options.replyTimeoutMs ?? 60_000;
    this.maxConcurrentReplies = options.maxConcurrentReplies ?? 8;
    this.log = options.log ?? (() => {});
  }

  /** A (re)connected room. Participant ids from before are gone; replies in progress show their status again. */
  attach(port: RoomPort): void {
    this.port = port;
    this.threads.forgetAllParticipants();
    for (const thread of this.threads.working()) void this.showStatus(thread);
  }

  detach(): void {
    this.port = null;
  }

  participantLeft(participantId: unknown): void {
    if (typeof participantId === "string") this.threads.forgetParticipant(participantId);
  }

  /** Handles one incoming direct message. Resolves once it is dealt with (a reply it starts runs on). */
  async handle(fromParticipantId: unknown, type: unknown, message: unknown): Promise<void> {
    try {
      await this.dispatch(fromParticipantId, type, message);
    } catch (error) {
      this.log(
        `unexpected error handling a ${typeof type === "string" ? type.slice(0, 40) : "?"} message: ${String(error)}`,
      );
    }
  }

  /** Resolves when every reply in progress has finished (for tests and shutdown). */
  async idle(): Promise<void> {
    while (this.jobs.size > 0) await Promise.allSettled([...this.jobs]);
  }

  async stop(): Promise<void> {
    for (const thread of this.threads.working()) thread.job?.controller.abort(new JobStopped("stop"));
    await this.idle();
  }

  private view(): RoomView {
    return {
      room: this.options.room,
      agentName: this.options.agentName,
      participants: () => (this.port?.peers() ?? []).map((p) => ({ name: p.name, role: p.role })),
    };
  }

  private ignore(): void {
    this.counters.ignored++;
  }

  private async dispatch(fromParticipantId: unknown, type: unknown, message: unknown): Promise<void> {
    const port = this.port;
    const incoming = parseIncoming(type, message);
    if (!incoming || port === null || typeof fromParticipantId !== "string") return this.ignore();
    const sender = port.peer(fromParticipantId);
    // Agents never talk to agents here: two chatbots answering each other would loop forever.
    if (!sender || sender.role === "agent") return this.ignore();
    const path = incoming.message.path;
    if (threadUserOf(this.options.agentName, path) === null) return this.ignore();
    // Threads, status and Stop belong to the identity the room vouches for, whatever path was sent (19 M6).
    const own = threadPath(this.options.agentName, sender.name);

    if (incoming.type === "typing" || incoming.type === "cancel") {
      const thread = path === own ? this.threads.get(sender.name) : undefined;
      if (!thread) return path === own ? this.ignore() : void this.counters.refused++;
      this.counters.handled++;
      thread.subscribers.add(sender.id);
      if (incoming.type === "typing") thread.lastTypingAt = Date.now();
      else thread.job?.controller.abort(new JobStopped("cancel"));
      return;
    }

    const text = incoming.type === "chat" ? incoming.message.text.trim() : "";
    if (incoming.type === "chat" && text === "") return this.ignore();

    // Refusals count too: a flood of foreign paths is answered at the same bounded rate as chat.
    const allowed = await this.limiter.take(sender.name);
    if (allowed !== "ok") {
      this.counters.limited++;
      if (allowed === "notify") {
        await this.sendTo(
          sender.id,
          path,
          "You're sending messages faster than I can answer. Please wait a few seconds.",
        );
      }
      return;
    }

    if (path !== own) {
      this.counters.refused++;
      await this.sendTo(
        sender.id,
        path,
        "That thread belongs to someone else. I only talk with you in your own thread.",
      );
      return;
    }

    const opened = this.threads.open(sender.name, own);
    if (!opened.ok) return this.ignore();
    const thread = opened.thread;
    thread.subscribers.add(sender.id);
    this.counters.handled++;

    if (incoming.type === "opened") {
      if (thread.greeted) return;
      thread.greeted = true;
      await this.sendTo(sender.id, path, this.options.brain.greeting(sender.name, this.view()));
      return;
    }

    thread.greeted = true;
    // One reply at a time per identity, however many tabs or names of threads it sends from (19 L5).
    if (thread.job) {
      await this.sendTo(sender.id, path, "I'm still answering your previous message. Wait for it, or press Stop.");
      return;
    }
    if (this.threads.working().length >= this.maxConcurrentReplies) {
      await this.sendTo(
        sender.id,
        path,
        "I'm answering several people at once right now. Please try again in a moment.",
      );
      return;
    }
    const job = this.reply(thread, text, incoming.message.store !== false);
    this.jobs.add(job);
    void job.finally(() => this.jobs.delete(job));
  }

  private async reply(thread: Thread, text: string, store: boolean): Promise<void> {
    const controller = new AbortController();
    thread.job = { controller, startedAt: new Date(), statusText: "Thinking" };
    const timer = setTimeout(() => controller.abort(new JobStopped("timeout")), this.replyTimeoutMs);
    const stopped = new Promise<never>((_, reject) => {
      controller.signal.addEventListener("abort", () => reject(controller.signal.reason), { once: true });
    });
    stopped.catch(() => {});
    await this.showStatus(thread);
    try {
      // Raced against the signal, so Stop and the timeout hold even for a brain that ignores it.
      const answer = await Promise.race([
        this.options.brain.reply({
          text,
          history: [...thread.history],
          userName: thread.ownerName,
          room: this.view(),
          signal: controller.signal,
          progress: (status) => {
            if (thread.job?.controller !== controller || controller.signal.aborted) return;
            thread.job.statusText = status.slice(0, 80);
            void this.showStatus(thread);
          },
        }),
        stopped,
      ]);
      const reply = answer.length > MAX_REPLY_LENGTH ? `${answer.slice(0, MAX_REPLY_LENGTH)}…` : answer;
      if (store) {
        this.threads.remember(thread, { role: "user", text });
        this.threads.remember(thread, { role: "assistant", text: reply });
      }
      await this.deliver(thread, reply);
    } catch (error) {
      const reason = controller.signal.aborted ? stopReason(controller.signal.reason) : null;
      if (reason === "timeout") {
        const seconds = Math.max(1, Math.round(this.replyTimeoutMs / 1000));
        await this.deliver(thread, `That took longer than ${seconds} s, so I stopped. Please try again.`);
      } else if (reason === null) {
        if (error instanceof BrainError) {
          this.log(`reply failed in ${thread.path}: ${String(error.cause ?? error.message)}`);
          await this.deliver(thread, error.userMessage);
        } else {
          this.log(`reply failed in ${thread.path}: ${String(error)}`);
          await this.deliver(thread, "Sorry, something went wrong while I was answering.");
        }
      }
    } finally {
      clearTimeout(timer);
      if (!controller.signal.aborted) controller.abort(new JobStopped("stop"));
      thread.job = null;
      await this.clearStatus(thread);
    }
  }

  private async showStatus(thread: Thread): Promise<void> {
    const job = thread.job;
    if (!job) return;
    const keys = statusAttributes(thread.path);
    await this.setAttributes({
      [keys.text]: job.statusText,
      [keys.mode]: "busy",
      [keys.startedAt]: job.startedAt.toISOString(),
    });
  }

  /**
   * Removes the status keys. `set_attributes` merges and has no delete: a null
   * value is how a key is removed (the local room drops it, issue 19 M7), and
   * only the keys of a reply in progress are ever set.
   */
  private async clearStatus(thread: Thread): Promise<void> {
    const keys = statusAttributes(thread.path);
    await this.setAttributes({ [keys.text]: null, [keys.mode]: null, [keys.startedAt]: null });
  }

  private async setAttributes(attributes: Record<string, string | null>): Promise<void> {
    try {
      await this.port?.setAttributes(attributes);
    } catch (error) {
      this.log(`could not update status attributes: ${String(error)}`);
    }
  }

  private async deliver(thread: Thread, text: string): Promise<void> {
    const port = this.port;
    const online = [...thread.subscribers].filter((id) => port?.peer(id));
    if (online.length === 0) this.log(`nobody online to receive a reply in ${thread.path}`);
    for (const id of online) await this.sendTo(id, thread.path, text);
  }

  private async sendTo(participantId: string, path: string, text: string): Promise<void> {
    try {
      await this.port?.send(participantId, { path, text: text.slice(0, MAX_REPLY_LENGTH + 1) });
    } catch (error) {
      this.log(`could not send to ${participantId}: ${String(error)}`);
    }
  }
}

function stopReason(reason: unknown): StopReason {
  return reason instanceof JobStopped ? reason.reason : "stop";
}
