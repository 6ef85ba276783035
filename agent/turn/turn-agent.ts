// The agent side of MeshAgent's agent-message turn protocol for one room:
// threads (start, list, watch, open with replay, rename, delete, clear), turns
// (accepted, queued, started, streamed, steered, interrupted, ended), tool
// approvals and client tools. Every request is parsed at the edge
// (lib/shared/agent-turn) and every thread belongs to the room identity (the
// `name`) of whoever started it: MeshAgent's `thread_isolation: participant`.
// Never throws.

import { randomUUID } from "node:crypto";
import { buildAgentEvent } from "../../lib/shared/agent-turn/build";
import { inputText, roomPathFromUrl, type InputContent } from "../../lib/shared/agent-turn/content";
import {
  CHATBOT_THREADING,
  EMPTY_STATE_TITLE,
  SUPPORTS_AGENT_MESSAGES,
  THREADING_DEFAULT_NEW,
} from "../../lib/shared/agent-turn/attributes";
import {
  TURN_ERROR_CODES,
  type AgentEvent,
  type ClientRequest,
  type TurnMessageOf,
} from "../../lib/shared/agent-turn/messages";
import { parseClientRequest } from "../../lib/shared/agent-turn/parse";
import { BrainError, type ChatTurn, type RoomView } from "../brain/types";
import type { Peer } from "../handler";
import type { TurnBrain, TurnRun } from "./brain";
import type { TurnPort } from "./port";
import { RecentIds, WindowLimiter, type RequestLimit } from "./request-limit";
import { roomToolsFiles } from "./room-tools";
import {
  ThreadLimitError,
  TurnThreadStore,
  threadNameFrom,
  type TurnStoreLimits,
  type TurnThread,
} from "./thread-store";
import { TurnOutputImpl, TurnStopped, type ActiveTurn, type TurnLimits } from "./turn-output";

export interface TurnAgentLimits extends TurnStoreLimits, TurnLimits {
  /** Turns waiting behind the running one, per thread. Default 4. */
  maxQueuedTurns?: number;
  /** Turns running at once in the room; more wait their turn. Default 8. */
  maxRunningTurns?: number;
  /** Threads one participant (connection) may have open at once; the oldest is closed past it. Default 32. */
  maxOpenThreadsPerParticipant?: number;
  /** Watching participants per room. Default 1000. */
  maxWatchers?: number;
}

export interface TurnAgentOptions {
  room: string;
  agentName: string;
  brain: TurnBrain;
  emptyStateTitle?: string;
  limits?: TurnAgentLimits;
  /** Every request per sender. Default 120 per 10 s. */
  requestLimit?: RequestLimit;
  /** Turn starts and steers per sender. Default 12 per 10 s. */
  turnLimit?: RequestLimit;
  log?: (line: string) => void;
}

interface QueuedTurn {
  turnId: string;
  senderId: string;
  senderName: string;
  content: InputContent[];
  sourceMessageId: string;
  clientTools: ActiveTurn["clientTools"];
}

interface Runtime {
  thread: TurnThread;
  /** Participant ids of the owner's connections that have the thread open: they get its events. */
  open: Set<string>;
  running: ActiveTurn | null;
  queue: QueuedTurn[];
}

export interface TurnAgentCounters {
  handled: number;
  ignored: number;
  refused: number;
  limited: number;
}

const HISTORY_TURNS = 20;
const HISTORY_CHARS = 24_000;

export class TurnAgent {
  readonly store: TurnThreadStore;
  readonly counters: TurnAgentCounters = { handled: 0, ignored: 0, refused: 0, limited: 0 };
  private port: TurnPort | null = null;
  private readonly runtimes = new Map<string, Runtime>();
  private readonly openBy = new Map<string, string[]>();
  private readonly watchers = new Map<string, string>();
  private readonly recent = new RecentIds();
  private readonly requests: WindowLimiter;
  private readonly turnStarts: WindowLimiter;
  private readonly jobs = new Set<Promise<void>>();
  private readonly limits: Required<Pick<TurnAgentLimits, "maxQueuedTurns" | "maxRunningTurns">> & TurnAgentLimits;
  private readonly log: (line: string) => void;

  constructor(private readonly options: TurnAgentOptions) {
    this.log = options.log ?? (() => {});
    this.limits = { maxQueuedTurns: 4, maxRunningTurns: 8, ...options.limits };
    this.store = new TurnThreadStore(options.agentName, () => this.port?.files ?? null, options.limits, this.log);
    this.requests = new WindowLimiter(options.requestLimit ?? { points: 120, windowMs: 10_000 });
    this.turnStarts = new WindowLimiter(options.turnLimit ?? { points: 12, windowMs: 10_000 });
  }

  /** A (re)connected room: advertise the protocol; participant ids from before are gone. */
  attach(port: TurnPort): void {
    this.port = port;
    for (const runtime of this.runtimes.values()) runtime.open.clear();
    this.openBy.clear();
    this.watchers.clear();
    this.recent.clear();
    port
      .setAttributes({
        [SUPPORTS_AGENT_MESSAGES]: true,
        [CHATBOT_THREADING]: THREADING_DEFAULT_NEW,
        [EMPTY_STATE_TITLE]: this.options.emptyStateTitle ?? `Chat with ${this.options.agentName}`,
      })
      .catch((error: unknown) => this.log(`could not advertise the turn protocol: ${String(error)}`));
  }

  detach(): void {
    this.port = null;
  }

  participantLeft(participantId: unknown): void {
    if (typeof participantId !== "string") return;
    this.watchers.delete(participantId);
    this.recent.forget(participantId);
    for (const threadId of this.openBy.get(participantId) ?? [])
      this.runtimes.get(threadId)?.open.delete(participantId);
    this.openBy.delete(participantId);
    for (const runtime of this.runtimes.values()) {
      for (const call of runtime.running?.clientCalls.values() ?? []) {
        if (call.participantId === participantId) call.reject(new Error("the person who was asked left the room"));
      }
      this.dropIdle(runtime);
    }
  }

  /** Handles one `agent-message` room message. Resolves once it is dealt with (a turn it starts runs on). */
  async handle(fromParticipantId: unknown, message: unknown): Promise<void> {
    try {
      await this.dispatch(fromParticipantId, message);
    } catch (error) {
      this.log(`unexpected error handling an agent message: ${String(error)}`);
    }
  }

  /** Resolves when no turn is running and every thread is saved (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.jobs.size > 0) await Promise.allSettled([...this.jobs]);
    await this.store.flushed();
  }

  async stop(): Promise<void> {
    for (const runtime of this.runtimes.values()) {
      runtime.queue.length = 0;
      runtime.running?.controller.abort(new TurnStopped("stopping"));
    }
    await this.idle();
  }

  // ---- dispatch -------------------------------------------------------------

  private async dispatch(fromId: unknown, raw: unknown): Promise<void> {
    const port = this.port;
    if (port === null || typeof fromId !== "string") return this.ignore();
    const request = parseClientRequest(raw);
    if (!request) return this.ignore();
    const sender = port.peer(fromId);
    // Agents never talk to agents here (two agents answering each other would loop), and a thread needs an owner.
    if (!sender || sender.role === "agent" || sender.name === "") return this.ignore();
    if (request.message_id !== undefined && !this.recent.first(fromId, request.message_id)) return this.ignore();
    if (!this.requests.take(sender.name)) {
      this.counters.limited++;
      return;
    }
    const messageId = request.message_id ?? randomUUID();
    const startsWork =
      (request.type === "meshagent.agent.thread.start" && (request.content?.length ?? 0) > 0) ||
      request.type === "meshagent.agent.turn.start" ||
      request.type === "meshagent.agent.turn.steer";
    if (startsWork && !this.turnStarts.take(sender.name)) {
      this.counters.limited++;
      const threadId = "thread_id" in request ? request.thread_id : "";
      this.reject(
        sender.id,
        threadId,
        messageId,
        TURN_ERROR_CODES.limitReached,
        "You're sending messages faster than I can answer. Wait a few seconds.",
      );
      return;
    }
    this.counters.handled++;
    await this.route(sender, request, messageId);
  }

  private async route(sender: Peer, request: ClientRequest, messageId: string): Promise<void> {
    switch (request.type) {
      case "meshagent.agent.thread.watch":
        if (this.watchers.size >= (this.limits.maxWatchers ?? 1000) && !this.watchers.has(sender.id)) return;
        this.watchers.set(sender.id, sender.name);
        return;
      case "meshagent.agent.thread.unwatch":
        this.watchers.delete(sender.id);
        return;
      case "meshagent.agent.thread.list":
        return this.list(sender, request, messageId);
      case "meshagent.agent.thread.start":
        return this.startThread(sender, request, messageId);
      case "meshagent.agent.capabilities_request":
        this.send(
          sender.id,
          buildAgentEvent("meshagent.agent.capabilities_response", {
            thread_id: request.thread_id,
            source_message_id: messageId,
            version: "1",
            toolkits: [],
          }),
        );
        return;
    }
    // Everything else names a thread, which must be the sender's own.
    const runtime = await this.runtimeFor(sender, request.thread_id);
    if (!runtime) return this.refuseForeign(sender, request, messageId);
    switch (request.type) {
      case "meshagent.agent.thread.open":
        return this.open(sender, runtime, request, messageId);
      case "meshagent.agent.thread.close":
        this.close(sender.id, runtime);
        return;
      case "meshagent.agent.thread.rename":
        this.store.rename(runtime.thread, request.name);
        this.toWatchers(
          sender,
          buildAgentEvent("meshagent.agent.thread.updated", { thread: this.store.entry(runtime.thread) }),
        );
        return;
      case "meshagent.agent.thread.delete":
        return this.deleteThread(sender, runtime);
      case "meshagent.agent.thread.clear":
        this.cancelAll(runtime);
        await this.settled(runtime);
        this.store.clear(runtime.thread);
        this.toThread(
          runtime,
          buildAgentEvent("meshagent.agent.thread.cleared", {
            thread_id: runtime.thread.id,
            source_message_id: messageId,
          }),
          { store: false, also: sender.id },
        );
        return;
      case "meshagent.agent.turn.start":
        return this.startTurn(sender, runtime, request.content, messageId, request.turn_id, request.client_toolkits);
      case "meshagent.agent.turn.steer":
        return this.steer(sender, runtime, request, messageId);
      case "meshagent.agent.turn.interrupt":
        return this.interrupt(runtime, request.turn_id, messageId);
      case "meshagent.agent.tool_call.approve":
      case "meshagent.agent.tool_call.reject": {
        if (runtime.running?.turnId !== request.turn_id) return this.ignore();
        const settle = runtime.running.approvals.get(request.item_id);
        if (!settle) return this.ignore();
        settle(request.type === "meshagent.agent.tool_call.approve");
        return;
      }
      case "meshagent.agent.client_tool_call.response": {
        const call =
          runtime.running?.turnId === request.turn_id ? runtime.running.clientCalls.get(request.request_id) : undefined;
        // Only the participant that was asked may answer.
        if (!call || call.participantId !== sender.id) return this.ignore();
        call.resolve(request.response);
        return;
      }
    }
  }

  private ignore(): void {
    this.counters.ignored++;
  }

  /** A thread id that is not the sender's: unknown and foreign read the same, so nothing leaks. */
  private refuseForeign(sender: Peer, request: ClientRequest & { thread_id?: string }, messageId: string): void {
    this.counters.refused++;
    const threadId = request.thread_id ?? "";
    const message = "That thread does not exist, or it is not yours.";
    if (request.type === "meshagent.agent.turn.steer") {
      this.send(
        sender.id,
        buildAgentEvent("meshagent.agent.turn.steer.rejected", {
          thread_id: threadId,
          turn_id: request.turn_id,
          source_message_id: messageId,
          error: { message, code: TURN_ERROR_CODES.threadNotFound },
        }),
      );
      return;
    }
    // Approvals, tool responses and interrupts for someone else's thread just vanish.
    if (
      request.type === "meshagent.agent.tool_call.approve" ||
      request.type === "meshagent.agent.tool_call.reject" ||
      request.type === "meshagent.agent.client_tool_call.response" ||
      request.type === "meshagent.agent.turn.interrupt" ||
      request.type === "meshagent.agent.thread.close"
    ) {
      return;
    }
    this.reject(sender.id, threadId, messageId, TURN_ERROR_CODES.threadNotFound, message);
  }

  private reject(to: string, threadId: string, messageId: string, code: string, message: string): void {
    this.send(
      to,
      buildAgentEvent("meshagent.agent.turn.start.rejected", {
        thread_id: threadId,
        source_message_id: messageId,
        error: { message, code },
      }),
    );
  }

  // ---- threads --------------------------------------------------------------

  private async runtimeFor(sender: Peer, threadId: string): Promise<Runtime | null> {
    const existing = this.runtimes.get(threadId);
    if (existing) return existing.thread.owner === sender.name ? existing : null;
    const thread = await this.store.get(sender.name, threadId);
    if (!thread) return null;
    // Another request may have made it while the thread loaded.
    const raced = this.runtimes.get(threadId);
    if (raced) return raced;
    const runtime: Runtime = { thread, open: new Set(), running: null, queue: [] };
    this.runtimes.set(threadId, runtime);
    return runtime;
  }

  private dropIdle(runtime: Runtime): void {
    if (runtime.open.size === 0 && !runtime.running && runtime.queue.length === 0) {
      this.runtimes.delete(runtime.thread.id);
    }
  }

  private markOpen(participantId: string, runtime: Runtime): void {
    runtime.open.add(participantId);
    const open = (this.openBy.get(participantId) ?? []).filter((id) => id !== runtime.thread.id);
    open.push(runtime.thread.id);
    while (open.length > (this.limits.maxOpenThreadsPerParticipant ?? 32)) {
      const oldest = this.runtimes.get(open.shift()!);
      if (oldest) {
        oldest.open.delete(participantId);
        this.dropIdle(oldest);
      }
    }
    this.openBy.set(participantId, open);
  }

  private close(participantId: string, runtime: Runtime): void {
    runtime.open.delete(participantId);
    const open = this.openBy.get(participantId);
    if (open)
      this.openBy.set(
        participantId,
        open.filter((id) => id !== runtime.thread.id),
      );
    this.dropIdle(runtime);
  }

  private async list(sender: Peer, request: TurnMessageOf<"meshagent.agent.thread.list">, messageId: string) {
    const threads = await this.store.list(sender.name);
    const offset = request.offset ?? 0;
    const limit = request.limit ?? 200;
    this.send(
      sender.id,
      buildAgentEvent("meshagent.agent.thread.listed", {
        source_message_id: messageId,
        threads: threads.slice(offset, offset + limit).map((thread) => this.store.entry(thread)),
        total: threads.length,
        offset,
        limit,
      }),
    );
  }

  private async startThread(sender: Peer, request: TurnMessageOf<"meshagent.agent.thread.start">, messageId: string) {
    const content = request.content ?? [];
    const problem = content.length > 0 ? inputProblem(content) : null;
    if (problem) return this.reject(sender.id, "", messageId, TURN_ERROR_CODES.invalidContent, problem);
    let thread: TurnThread;
    try {
      thread = await this.store.create(sender.name, request.name ?? threadNameFrom(inputText(content)));
    } catch (error) {
      if (!(error instanceof ThreadLimitError)) throw error;
      return this.reject(sender.id, "", messageId, TURN_ERROR_CODES.limitReached, error.message);
    }
    const runtime: Runtime = { thread, open: new Set(), running: null, queue: [] };
    this.runtimes.set(thread.id, runtime);
    this.markOpen(sender.id, runtime);
    this.send(
      sender.id,
      buildAgentEvent("meshagent.agent.thread.started", { source_message_id: messageId, thread_id: thread.id }),
    );
    this.toWatchers(sender, buildAgentEvent("meshagent.agent.thread.created", { thread: this.store.entry(thread) }));
    if (content.length > 0) {
      await this.startTurn(sender, runtime, content, messageId, undefined, request.client_toolkits, true);
    }
  }

  private async open(
    sender: Peer,
    runtime: Runtime,
    request: TurnMessageOf<"meshagent.agent.thread.open">,
    messageId: string,
  ) {
    this.markOpen(sender.id, runtime);
    if (request.load === true) {
      const events = runtime.thread.events;
      let from = 0;
      if (request.since_turn !== undefined) {
        // Replay what came after that turn ended; an unknown turn means everything.
        const ended = events.findIndex(
          (event) => event.type === "meshagent.agent.turn.ended" && event.turn_id === request.since_turn,
        );
        from = ended >= 0 ? ended + 1 : 0;
      }
      for (const event of events.slice(from)) this.send(sender.id, event);
    }
    const running = runtime.running;
    if (running) this.send(sender.id, this.statusEvent(runtime.thread.id, running));
    if (request.load === true) {
      this.send(
        sender.id,
        buildAgentEvent("meshagent.agent.thread.loaded", {
          thread_id: runtime.thread.id,
          source_message_id: messageId,
          since_turn: request.since_turn,
        }),
      );
    }
  }

  private async deleteThread(sender: Peer, runtime: Runtime) {
    this.cancelAll(runtime, new TurnStopped("deleted"));
    await this.settled(runtime);
    const watchersAndSender = new Set([sender.id, ...runtime.open]);
    runtime.open.clear();
    this.runtimes.delete(runtime.thread.id);
    await this.store.delete(runtime.thread);
    const event = buildAgentEvent("meshagent.agent.thread.deleted", { path: runtime.thread.id });
    for (const [id, owner] of this.watchers) if (owner === sender.name) watchersAndSender.add(id);
    for (const id of watchersAndSender) this.send(id, event);
  }

  // ---- turns ----------------------------------------------------------------

  private async startTurn(
    sender: Peer,
    runtime: Runtime,
    content: InputContent[],
    messageId: string,
    requestedTurnId: string | undefined,
    clientTools: ActiveTurn["clientTools"] | undefined,
    newThread = false,
  ) {
    const threadId = runtime.thread.id;
    const problem = inputProblem(content);
    if (problem) return this.reject(sender.id, threadId, messageId, TURN_ERROR_CODES.invalidContent, problem);
    if (runtime.queue.length >= this.limits.maxQueuedTurns) {
      return this.reject(
        sender.id,
        threadId,
        messageId,
        TURN_ERROR_CODES.limitReached,
        "I already have several messages of yours waiting in this thread. Wait for them, or press Stop.",
      );
    }
    this.markOpen(sender.id, runtime);
    // A client-chosen turn id is used unless it would collide with one this thread already knows.
    const known = (id: string) =>
      runtime.running?.turnId === id ||
      runtime.queue.some((t) => t.turnId === id) ||
      runtime.thread.events.some((event) => "turn_id" in event && event.turn_id === id);
    const turnId = requestedTurnId && !known(requestedTurnId) ? requestedTurnId : randomUUID();
    const turn: QueuedTurn = {
      turnId,
      senderId: sender.id,
      senderName: sender.name,
      content,
      sourceMessageId: messageId,
      clientTools: clientTools ?? [],
    };
    if (!newThread && runtime.thread.events.length === 0 && runtime.thread.name === "New chat") {
      this.store.rename(runtime.thread, threadNameFrom(inputText(content)));
      this.toWatchers(
        sender,
        buildAgentEvent("meshagent.agent.thread.updated", { thread: this.store.entry(runtime.thread) }),
      );
    }
    this.toThread(
      runtime,
      buildAgentEvent("meshagent.agent.turn.start.accepted", {
        thread_id: threadId,
        turn_id: turnId,
        source_message_id: messageId,
        content,
        sender_name: sender.name,
      }),
    );
    runtime.queue.push(turn);
    this.pump();
  }

  private runningCount(): number {
    let count = 0;
    for (const runtime of this.runtimes.values()) if (runtime.running) count++;
    return count;
  }

  /** Starts queued turns while the room has room for them, oldest thread first. */
  private pump(): void {
    for (const runtime of this.runtimes.values()) {
      if (this.runningCount() >= this.limits.maxRunningTurns) return;
      if (runtime.running || runtime.queue.length === 0) continue;
      const next = runtime.queue.shift()!;
      const active: ActiveTurn = {
        threadId: runtime.thread.id,
        turnId: next.turnId,
        senderId: next.senderId,
        senderName: next.senderName,
        content: next.content,
        sourceMessageId: next.sourceMessageId,
        clientTools: next.clientTools,
        controller: new AbortController(),
        startedAt: new Date().toISOString(),
        status: { text: "Thinking", mode: "steerable" },
        steers: [],
        steerWaiters: [],
        clientCalls: new Map(),
        approvals: new Map(),
      };
      runtime.running = active;
      const job = this.run(runtime, active);
      this.jobs.add(job);
      void job.finally(() => this.jobs.delete(job));
    }
  }

  private async run(runtime: Runtime, turn: ActiveTurn): Promise<void> {
    const thread = runtime.thread;
    const ids = { thread_id: thread.id, turn_id: turn.turnId };
    const emit = (event: AgentEvent, options: { store?: boolean; to?: string } = {}) => {
      if (options.to !== undefined) {
        if (options.store !== false) this.store.append(thread, event);
        this.send(options.to, event);
      } else {
        this.toThread(runtime, event, { store: options.store !== false });
      }
    };
    const output = new TurnOutputImpl(turn, emit, this.options.limits);
    const history = historyOf(thread.events, turn.turnId);
    output.status("Thinking", "steerable");
    emit(
      buildAgentEvent("meshagent.agent.turn.started", {
        ...ids,
        source_message_id: turn.sourceMessageId,
        content: turn.content,
        sender_name: turn.senderName,
      }),
    );
    const stopped = new Promise<never>((_, reject) => {
      turn.controller.signal.addEventListener("abort", () => reject(turn.controller.signal.reason), { once: true });
    });
    stopped.catch(() => {});
    const run: TurnRun = {
      input: turn.content,
      text: turn.content.flatMap((item) => (item.type === "text" ? [item.text] : [])).join("\n"),
      history,
      userName: turn.senderName,
      room: this.view(),
      files: roomToolsFiles(() => this.port?.files ?? null),
      clientTools: turn.clientTools.map((tool) => tool.name),
      signal: turn.controller.signal,
      out: output,
      takeSteers: () => {
        const taken = turn.steers.splice(0);
        for (const steer of taken) {
          emit(buildAgentEvent("meshagent.agent.turn.steered", { ...ids, source_message_id: steer.sourceMessageId }));
        }
        return taken.map((steer) => inputText(steer.content));
      },
      nextSteer: () => new Promise<void>((resolve) => turn.steerWaiters.push(resolve)),
    };
    let error: { message: string; code: string } | undefined;
    try {
      // Raced against the signal, so Stop holds even for a brain that ignores it.
      await Promise.race([this.options.brain.run(run), stopped]);
    } catch (caught) {
      error = this.turnError(turn, caught);
    }
    output.closeOpenItems();
    for (const call of turn.clientCalls.values()) call.reject(new Error("the turn ended"));
    for (const settle of turn.approvals.values()) settle(false);
    const reason = turn.controller.signal.aborted ? turn.controller.signal.reason : null;
    if (reason instanceof TurnStopped && reason.reason === "interrupted") {
      emit(buildAgentEvent("meshagent.agent.turn.interrupted", { ...ids, source_message_id: reason.sourceMessageId }));
    }
    emit(buildAgentEvent("meshagent.agent.turn.ended", { ...ids, error }));
    runtime.running = null;
    emit(buildAgentEvent("meshagent.agent.thread.status", { thread_id: thread.id }), { store: false });
    if (!turn.controller.signal.aborted) turn.controller.abort(new TurnStopped("stopping"));
    if (this.runtimes.get(thread.id) === runtime) {
      this.store.compact(thread);
      // Steers that arrived too late to join this turn become the next one, so nothing is lost.
      const late = turn.steers.splice(0);
      if (late.length > 0 && !(reason instanceof TurnStopped)) {
        runtime.queue.unshift({
          turnId: randomUUID(),
          senderId: turn.senderId,
          senderName: late[0].senderName,
          content: late.flatMap((steer) => steer.content).slice(0, 32),
          sourceMessageId: late[0].sourceMessageId,
          clientTools: turn.clientTools,
        });
      }
      this.dropIdle(runtime);
    }
    for (const wake of turn.steerWaiters.splice(0)) wake();
    this.pump();
  }

  private turnError(turn: ActiveTurn, caught: unknown): { message: string; code: string } {
    const reason = turn.controller.signal.aborted ? turn.controller.signal.reason : caught;
    if (reason instanceof TurnStopped) {
      if (reason.reason === "too_long") {
        return { message: "My answer grew too long, so I stopped it.", code: TURN_ERROR_CODES.limitReached };
      }
      return { message: "turn cancelled", code: TURN_ERROR_CODES.cancelled };
    }
    if (caught instanceof BrainError) {
      this.log(`turn failed: ${String(caught.cause ?? caught.message)}`);
      return { message: caught.userMessage, code: "BrainError" };
    }
    this.log(`turn failed: ${String(caught)}`);
    return { message: "Sorry, something went wrong while I was answering.", code: "internal_error" };
  }

  private steer(
    sender: Peer,
    runtime: Runtime,
    request: TurnMessageOf<"meshagent.agent.turn.steer">,
    messageId: string,
  ) {
    const running = runtime.running;
    const rejected = (code: string, message: string) =>
      this.send(
        sender.id,
        buildAgentEvent("meshagent.agent.turn.steer.rejected", {
          thread_id: runtime.thread.id,
          turn_id: request.turn_id,
          source_message_id: messageId,
          error: { message, code },
        }),
      );
    if (!running || running.turnId !== request.turn_id) {
      return rejected(TURN_ERROR_CODES.turnNotInProgress, "That answer is no longer in progress.");
    }
    // A turn using someone's browser tools answers to that browser only.
    if (running.clientTools.length > 0 && running.senderId !== sender.id) {
      return rejected(TURN_ERROR_CODES.turnOwnedByParticipant, "Only the tab that started this answer can steer it.");
    }
    const problem = inputProblem(request.content);
    if (problem) return rejected(TURN_ERROR_CODES.invalidContent, problem);
    if (running.steers.length >= this.limits.maxQueuedTurns) {
      return rejected(TURN_ERROR_CODES.limitReached, "Too many steers are waiting; let the answer catch up.");
    }
    this.markOpen(sender.id, runtime);
    running.steers.push({ content: request.content, sourceMessageId: messageId, senderName: sender.name });
    this.toThread(
      runtime,
      buildAgentEvent("meshagent.agent.turn.steer.accepted", {
        thread_id: runtime.thread.id,
        turn_id: running.turnId,
        source_message_id: messageId,
        content: request.content,
        sender_name: sender.name,
      }),
    );
    for (const wake of running.steerWaiters.splice(0)) wake();
  }

  private interrupt(runtime: Runtime, turnId: string, messageId: string) {
    const ids = { thread_id: runtime.thread.id, turn_id: turnId };
    const accepted = buildAgentEvent("meshagent.agent.turn.interrupt.accepted", {
      ...ids,
      source_message_id: messageId,
    });
    if (runtime.running?.turnId === turnId) {
      this.toThread(runtime, accepted);
      runtime.running.controller.abort(new TurnStopped("interrupted", messageId));
      return;
    }
    const queued = runtime.queue.findIndex((turn) => turn.turnId === turnId);
    if (queued < 0) return this.ignore(); // MeshAgent ignores an interrupt for any other turn
    runtime.queue.splice(queued, 1);
    this.toThread(runtime, accepted);
    this.toThread(
      runtime,
      buildAgentEvent("meshagent.agent.turn.interrupted", { ...ids, source_message_id: messageId }),
    );
    this.toThread(
      runtime,
      buildAgentEvent("meshagent.agent.turn.ended", {
        ...ids,
        error: { message: "turn cancelled", code: TURN_ERROR_CODES.cancelled },
      }),
    );
    this.store.compact(runtime.thread);
  }

  private cancelAll(runtime: Runtime, reason = new TurnStopped("interrupted")): void {
    runtime.queue.length = 0;
    runtime.running?.controller.abort(reason);
  }

  /** Resolves once the thread's running turn (if any) has ended. */
  private async settled(runtime: Runtime): Promise<void> {
    while (runtime.running) await Promise.allSettled([...this.jobs]);
  }

  // ---- sending --------------------------------------------------------------

  private statusEvent(threadId: string, turn: ActiveTurn): AgentEvent {
    return buildAgentEvent("meshagent.agent.thread.status", {
      thread_id: threadId,
      status: turn.status.text,
      mode: turn.status.mode,
      started_at: turn.startedAt,
      turn_id: turn.turnId,
    });
  }

  /** To everyone with the thread open (and `also`); stored for replay unless told otherwise. */
  private toThread(runtime: Runtime, event: AgentEvent, options: { store?: boolean; also?: string } = {}): void {
    if (options.store !== false) this.store.append(runtime.thread, event);
    const to = new Set(runtime.open);
    if (options.also) to.add(options.also);
    for (const id of to) this.send(id, event);
  }

  /** To the owner's watchers (thread list updates); the sender always hears about its own change. */
  private toWatchers(sender: Peer, event: AgentEvent): void {
    const to = new Set([sender.id]);
    for (const [id, owner] of this.watchers) if (owner === sender.name) to.add(id);
    for (const id of to) this.send(id, event);
  }

  private send(to: string, event: object): void {
    const port = this.port;
    if (!port || !port.peer(to)) return;
    // The SDK queues sends in call order, so events reach each participant in order.
    port.send(to, event).catch((error: unknown) => this.log(`could not send to ${to}: ${String(error)}`));
  }

  private view(): RoomView {
    return {
      room: this.options.room,
      agentName: this.options.agentName,
      participants: () => (this.port?.peers() ?? []).map((p) => ({ name: p.name, role: p.role })),
    };
  }
}

/** Why a turn's input cannot be worked on, in words for the person; null when it can. */
function inputProblem(content: readonly InputContent[]): string | null {
  if (content.length === 0) return "There is nothing to answer: the message is empty.";
  let hasSomething = false;
  for (const item of content) {
    if (item.type === "text") {
      if (item.text.trim() !== "") hasSomething = true;
    } else if (item.type === "file") {
      if (roomPathFromUrl(item.url) === null) return `I can only read files from room storage (room:///…).`;
      hasSomething = true;
    } else {
      return "I can't listen to audio.";
    }
  }
  return hasSomething ? null : "There is nothing to answer: the message is empty.";
}

/** The thread's earlier turns as chat history: the person's input and the final answer text, bounded. */
function historyOf(events: readonly AgentEvent[], currentTurn: string): ChatTurn[] {
  const turns = new Map<string, { input: string; user: string[]; assistant: string[] }>();
  for (const event of events) {
    if (!("turn_id" in event) || !event.turn_id || event.turn_id === currentTurn) continue;
    let turn = turns.get(event.turn_id);
    if (!turn) turns.set(event.turn_id, (turn = { input: "", user: [], assistant: [] }));
    // A stored turn has its input on turn.start.accepted, turn.started or both (stored-events.ts).
    if (event.type === "meshagent.agent.turn.start.accepted" || event.type === "meshagent.agent.turn.started") {
      turn.input ||= inputText(event.content ?? []);
    } else if (event.type === "meshagent.agent.turn.steer.accepted") {
      turn.user.push(inputText(event.content ?? []));
    } else if (event.type === "meshagent.agent.text_content.delta" && event.phase !== "commentary") {
      turn.assistant.push(event.text);
    }
  }
  const history: ChatTurn[] = [];
  let chars = 0;
  for (const turn of [...turns.values()].reverse().slice(0, HISTORY_TURNS)) {
    const user = [turn.input, ...turn.user].filter(Boolean).join("\n");
    const assistant = turn.assistant.join("");
    chars += user.length + assistant.length;
    if (chars > HISTORY_CHARS) break;
    if (assistant) history.unshift({ role: "assistant", text: assistant });
    if (user) history.unshift({ role: "user", text: user });
  }
  return history;
}
