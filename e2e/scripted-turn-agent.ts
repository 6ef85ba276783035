import { packMessage, type RoomClient } from "@meshagent/meshagent";
import { signAgentToken } from "../agent/token";
import { buildAgentEvent } from "../lib/shared/agent-turn/build";
import type { AgentEvent, ClientRequest } from "../lib/shared/agent-turn/messages";
import { AGENT_MESSAGE_ROOM_TYPE, parseClientRequest } from "../lib/shared/agent-turn/parse";
import { ROOM_SECRET } from "./env";
import { ROOM_URL, joinWithSdk, type SeenMessage } from "./sdk-client";

type Built = AgentEvent & { message_id: string };
type TurnStart = Extract<ClientRequest, { type: "meshagent.agent.turn.start" }>;

interface ScriptedThread {
  path: string;
  name: string;
  /** Every event of the thread, for replay on thread.open{load:true}. */
  history: Built[];
}

/**
 * A turn-protocol agent that is not the demo agent: a few lines on the real
 * SDK that speak MeshAgent's agent-message protocol (spec §1) from a script,
 * so the Agents tab can be tested event by event. What it does depends on the
 * first word of each message:
 * - `stream N`: N words, one every `stepMs`, while steerable (steers join the answer);
 * - `fail`: the turn ends with a runtime error; `reject`: turn.start is refused;
 * - `approve`: asks to run a tool and waits for Approve or Reject;
 * - `ask`, `toast`, `show <path>`: calls the client's `ui` tools and reports the answer;
 * - `tool`: a tool call with log lines, running until `finishTool()` when `holdTools()` was called;
 * - `raw <markdown>`: answers with the text as is;
 * - anything else: `echo: <text>`.
 */
export class ScriptedTurnAgent {
  client!: RoomClient;
  seen: SeenMessage[] = [];
  threads: ScriptedThread[] = [];
  private watchers = new Set<string>();
  private openers = new Map<string, Set<string>>();
  private running = new Map<string, { turnId: string; interrupt: () => void; steers: string[] }>();
  private waiting = new Map<string, (message: ClientRequest) => void>();
  private counter = 0;
  private toolHold: { promise: Promise<void>; release: () => void } | null = null;

  constructor(
    readonly room: string,
    readonly name: string,
    readonly stepMs = 150,
  ) {}

  async join(attributes: Record<string, unknown> = {}): Promise<void> {
    const jwt = await signAgentToken({
      target: { where: "local-dev-room", apiUrl: ROOM_URL, secret: ROOM_SECRET! },
      room: this.room,
      agentName: this.name,
    });
    const { client, seen } = await joinWithSdk(this.room, jwt, (message) => {
      this.onMessage(message).catch((error: unknown) => console.error("scripted turn agent:", error));
    });
    this.client = client;
    this.seen = seen;
    await this.client.protocol.send(
      "set_attributes",
      packMessage({ supports_agent_messages: true, "meshagent.chatbot.threading": "default-new", ...attributes }),
    );
  }

  leave(): void {
    this.client.dispose();
  }

  /** From now on `tool` keeps its call running until finishTool(), so a test can see the running state on any machine. */
  holdTools(): void {
    let release = () => {};
    const promise = new Promise<void>((resolve) => (release = resolve));
    this.toolHold = { promise, release };
  }

  finishTool(): void {
    this.toolHold?.release();
    this.toolHold = null;
  }

  /** What the agent received, parsed, of one wire type. */
  requests(type: string): ClientRequest[] {
    return this.seen.flatMap((message) => {
      if (message.type !== AGENT_MESSAGE_ROOM_TYPE) return [];
      const request = parseClientRequest(message.message);
      return request && request.type === `meshagent.agent.${type}` ? [request] : [];
    });
  }

  /** Sends any payload to a participant (for hostile-agent checks). */
  async sendRaw(toId: string, message: Record<string, unknown>): Promise<void> {
    const to = this.client.messaging.getParticipant(toId);
    if (to) await this.client.messaging.sendMessage({ to, type: AGENT_MESSAGE_ROOM_TYPE, message });
  }

  private async send(toId: string, event: Built, thread?: ScriptedThread): Promise<void> {
    if (thread && event.type !== "meshagent.agent.thread.status") thread.history.push(event);
    await this.sendRaw(toId, event as unknown as Record<string, unknown>);
  }

  /** To everyone who has the thread open. */
  private async emit(thread: ScriptedThread, event: Built): Promise<void> {
    if (event.type !== "meshagent.agent.thread.status") thread.history.push(event);
    for (const id of this.openers.get(thread.path) ?? [])
      await this.sendRaw(id, event as unknown as Record<string, unknown>);
  }

  private thread(path: string): ScriptedThread | undefined {
    return this.threads.find((thread) => thread.path === path);
  }

  private async onMessage({ fromId, type, message }: SeenMessage): Promise<void> {
    if (type !== AGENT_MESSAGE_ROOM_TYPE) return;
    const request = parseClientRequest(message);
    if (!request) return;
    const mid = request.message_id ?? "";
    const waiter = this.waiting.get(this.waitKey(request));
    if (waiter) return waiter(request);
    switch (request.type) {
      case "meshagent.agent.thread.watch":
        this.watchers.add(fromId);
        return;
      case "meshagent.agent.thread.list":
        return this.send(
          fromId,
          buildAgentEvent("meshagent.agent.thread.listed", {
            source_message_id: mid,
            threads: this.threads.map(({ path, name }) => ({ path, name, created_at: "", modified_at: "" })),
            total: this.threads.length,
            offset: 0,
            limit: 200,
          }),
        );
      case "meshagent.agent.thread.start": {
        const text = request.content?.find((item) => item.type === "text")?.text ?? "New chat";
        const thread: ScriptedThread = {
          path: `.threads/${this.name}/${++this.counter}`,
          name: text.split(/\s+/).slice(0, 4).join(" "),
          history: [],
        };
        this.threads.unshift(thread);
        this.openers.set(thread.path, new Set([fromId]));
        await this.toWatchers(
          buildAgentEvent("meshagent.agent.thread.created", {
            thread: { path: thread.path, name: thread.name, created_at: "", modified_at: "" },
          }),
        );
        await this.send(
          fromId,
          buildAgentEvent("meshagent.agent.thread.started", { source_message_id: mid, thread_id: thread.path }),
        );
        if (request.content)
          await this.startTurn(fromId, thread, mid, {
            ...request,
            type: "meshagent.agent.turn.start",
            thread_id: thread.path,
            content: request.content,
          });
        return;
      }
      case "meshagent.agent.thread.open": {
        const thread = this.thread(request.thread_id);
        if (!thread) return;
        const openers = this.openers.get(thread.path) ?? new Set();
        openers.add(fromId);
        this.openers.set(thread.path, openers);
        if (!request.load) return;
        let replay = thread.history;
        if (request.since_turn) {
          const from = replay.findIndex((event) => "turn_id" in event && event.turn_id === request.since_turn);
          replay = from === -1 ? replay : replay.slice(from);
        }
        for (const event of replay) await this.sendRaw(fromId, event as unknown as Record<string, unknown>);
        return this.send(
          fromId,
          buildAgentEvent("meshagent.agent.thread.loaded", { thread_id: thread.path, source_message_id: mid }),
        );
      }
      case "meshagent.agent.thread.rename": {
        const thread = this.thread(request.thread_id);
        if (!thread) return;
        thread.name = request.name;
        return this.toWatchers(
          buildAgentEvent("meshagent.agent.thread.updated", {
            thread: { path: thread.path, name: thread.name, created_at: "", modified_at: "" },
          }),
        );
      }
      case "meshagent.agent.thread.delete":
        this.threads = this.threads.filter((thread) => thread.path !== request.thread_id);
        return this.toWatchers(buildAgentEvent("meshagent.agent.thread.deleted", { path: request.thread_id }));
      case "meshagent.agent.turn.start": {
        const thread = this.thread(request.thread_id);
        if (thread) await this.startTurn(fromId, thread, mid, request);
        return;
      }
      case "meshagent.agent.turn.steer": {
        const turn = this.running.get(request.thread_id);
        const thread = this.thread(request.thread_id);
        if (!turn || !thread || turn.turnId !== request.turn_id) return;
        const text = request.content.find((item) => item.type === "text")?.text ?? "";
        const fields = {
          thread_id: thread.path,
          turn_id: turn.turnId,
          source_message_id: mid,
          content: request.content,
        };
        await this.emit(thread, buildAgentEvent("meshagent.agent.turn.steer.accepted", fields));
        await this.emit(thread, buildAgentEvent("meshagent.agent.turn.steered", fields));
        turn.steers.push(text);
        return;
      }
      case "meshagent.agent.turn.interrupt": {
        const turn = this.running.get(request.thread_id);
        const thread = this.thread(request.thread_id);
        if (!turn || !thread || turn.turnId !== request.turn_id) return;
        const fields = { thread_id: thread.path, turn_id: turn.turnId, source_message_id: mid };
        await this.emit(thread, buildAgentEvent("meshagent.agent.turn.interrupt.accepted", fields));
        await this.emit(thread, buildAgentEvent("meshagent.agent.turn.interrupted", fields));
        turn.interrupt();
        return;
      }
      default:
        return;
    }
  }

  private async toWatchers(event: Built): Promise<void> {
    for (const id of this.watchers) await this.sendRaw(id, event as unknown as Record<string, unknown>);
  }

  private waitKey(request: ClientRequest): string {
    if (request.type === "meshagent.agent.tool_call.approve" || request.type === "meshagent.agent.tool_call.reject")
      return `item:${request.item_id}`;
    if (request.type === "meshagent.agent.client_tool_call.response") return `request:${request.request_id}`;
    return "";
  }

  private waitFor(key: string): Promise<ClientRequest> {
    return new Promise((resolve) =>
      this.waiting.set(key, (request) => {
        this.waiting.delete(key);
        resolve(request);
      }),
    );
  }

  private async startTurn(fromId: string, thread: ScriptedThread, sourceMessageId: string, request: TurnStart) {
    const text = request.content.find((item) => item.type === "text")?.text ?? "";
    const [command, ...rest] = text.trim().split(/\s+/);
    if (command === "reject") {
      return this.send(
        fromId,
        buildAgentEvent("meshagent.agent.turn.start.rejected", {
          thread_id: thread.path,
          source_message_id: sourceMessageId,
          error: { message: "unknown model: gpt-nope", code: "unknown_model" },
        }),
      );
    }
    const turnId = `turn-${++this.counter}`;
    const T = { thread_id: thread.path, turn_id: turnId };
    const sender = "Alice";
    const accepted = { ...T, source_message_id: sourceMessageId, content: request.content, sender_name: sender };
    await this.emit(thread, buildAgentEvent("meshagent.agent.turn.start.accepted", accepted));
    await this.emit(
      thread,
      buildAgentEvent("meshagent.agent.thread.status", {
        thread_id: thread.path,
        status: "Thinking",
        mode: "steerable",
        started_at: new Date().toISOString(),
        turn_id: turnId,
      }),
    );
    await this.emit(thread, buildAgentEvent("meshagent.agent.turn.started", accepted));
    let cancelled = false;
    const state = { turnId, steers: [] as string[], interrupt: () => (cancelled = true) };
    this.running.set(thread.path, state);
    const say = async (item: string, words: string[], phase: "commentary" | "final_answer" = "final_answer") => {
      const I = { ...T, item_id: item, phase };
      await this.emit(thread, buildAgentEvent("meshagent.agent.text_content.started", I));
      for (const word of words) {
        if (cancelled) break;
        await this.emit(thread, buildAgentEvent("meshagent.agent.text_content.delta", { ...I, text: word }));
      }
      await this.emit(thread, buildAgentEvent("meshagent.agent.text_content.ended", I));
    };
    const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    let error: { message: string; code?: string } | undefined;

    switch (command) {
      case "stream": {
        await say("note", ["Looking it up."], "commentary");
        const count = Number(rest[0] ?? 10);
        const I = { ...T, item_id: "answer", phase: "final_answer" as const };
        await this.emit(thread, buildAgentEvent("meshagent.agent.text_content.started", I));
        for (let i = 1; i <= count && !cancelled; i++) {
          for (const steer of state.steers.splice(0))
            await this.emit(
              thread,
              buildAgentEvent("meshagent.agent.text_content.delta", { ...I, text: `(steered: ${steer}) ` }),
            );
          await this.emit(thread, buildAgentEvent("meshagent.agent.text_content.delta", { ...I, text: `word${i} ` }));
          await sleep(this.stepMs);
        }
        await this.emit(thread, buildAgentEvent("meshagent.agent.text_content.ended", I));
        break;
      }
      case "fail":
        await say("m", ["Trying… "]);
        error = { message: "ModelError: the model is down", code: "ModelError" };
        break;
      case "tool": {
        const I = { ...T, item_id: "call-1", toolkit: "storage", tool: "count_words", arguments: { path: "a.txt" } };
        await this.emit(thread, buildAgentEvent("meshagent.agent.tool_call.pending", I));
        await this.emit(thread, buildAgentEvent("meshagent.agent.tool_call.started", I));
        await this.emit(
          thread,
          buildAgentEvent("meshagent.agent.tool_call.log_delta", {
            ...T,
            item_id: "call-1",
            lines: [
              { source: "stdout", text: "reading a.txt" },
              { source: "stderr", text: "warning: big file" },
            ],
          }),
        );
        await (this.toolHold?.promise ?? sleep(this.stepMs * 4));
        await this.emit(
          thread,
          buildAgentEvent("meshagent.agent.tool_call.ended", {
            ...T,
            item_id: "call-1",
            result: { type: "json", json: { words: 42 } },
          }),
        );
        await say("m", ["It has 42 words."]);
        break;
      }
      case "approve": {
        const I = { ...T, item_id: "call-2", toolkit: "storage", tool: "delete_file", arguments: { path: "old.txt" } };
        await this.emit(thread, buildAgentEvent("meshagent.agent.tool_call.pending", I));
        await this.emit(thread, buildAgentEvent("meshagent.agent.tool_call.approval_requested", I));
        const decision = await this.waitFor("item:call-2");
        const approved = decision.type === "meshagent.agent.tool_call.approve";
        await this.emit(
          thread,
          buildAgentEvent("meshagent.agent.tool_call.ended", {
            ...T,
            item_id: "call-2",
            ...(approved
              ? { result: { type: "text" as const, text: "deleted old.txt" } }
              : { error: { message: "the user rejected this tool call" } }),
          }),
        );
        await say("m", [approved ? "Deleted it." : "Left it alone."]);
        break;
      }
      case "ask":
      case "toast":
      case "show": {
        const call =
          command === "ask"
            ? {
                tool: "ask_user",
                arguments: {
                  subject: "Your trip",
                  help: "So I can plan it.",
                  form: [
                    { input: { name: "city", description: "Which city?", multiline: false, default_value: "" } },
                    { checkbox: { name: "hotel", description: "Book a hotel", default_value: false } },
                  ],
                },
              }
            : command === "toast"
              ? { tool: "show_toast", arguments: { title: "Heads up", description: "The build finished." } }
              : { tool: "display_document", arguments: { path: rest[0] ?? "" } };
        const requestId = `req-${++this.counter}`;
        await this.emit(
          thread,
          buildAgentEvent("meshagent.agent.client_tool_call.requested", {
            ...T,
            request_id: requestId,
            toolkit: "client",
            ...call,
            target_participant_id: fromId,
          }),
        );
        const answer = await this.waitFor(`request:${requestId}`);
        const response = answer.type === "meshagent.agent.client_tool_call.response" ? answer.response : null;
        await say("m", [`Client answered: ${JSON.stringify(response)}`]);
        break;
      }
      case "raw":
        await say("m", [text.slice(4)]);
        break;
      default:
        await say("m", ["echo: ", text]);
    }

    this.running.delete(thread.path);
    if (cancelled) error = { message: "turn cancelled", code: "cancelled" };
    await this.emit(
      thread,
      buildAgentEvent("meshagent.agent.usage.updated", {
        ...T,
        usage: { input_tokens: 100, output_tokens: 20 },
        context_window: { used_tokens: 120, total_tokens: 1000 },
      }),
    );
    await this.emit(thread, buildAgentEvent("meshagent.agent.turn.ended", { ...T, ...(error ? { error } : {}) }));
    await this.emit(thread, buildAgentEvent("meshagent.agent.thread.status", { thread_id: thread.path }));
  }
}
