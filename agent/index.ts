// startDemoAgent: the demo agent in every room it is given, in-process. Used
// by `npm run agent` (main.ts), `npm run dev` (dev-hook.ts) and the tests.

import type { RoomClient, RoomMessageEvent } from "@meshagent/meshagent";
import { createModelBrain } from "./brain/model";
import { createOfflineBrain } from "./brain/offline";
import type { Brain } from "./brain/types";
import { RoomConnection, roomPort } from "./connection";
import { DEFAULT_AGENT_NAME } from "../lib/env";
import { agentRooms, type AgentEnv } from "./env";
import { ThreadAgent, type ThreadAgentOptions } from "./handler";
import { resolveRoomTarget, roomUrl, signAgentToken, type RoomTarget } from "./token";
import type { TurnBrain } from "./turn/brain";
import { createModelTurnBrain } from "./turn/model-turn";
import { createOfflineTurnBrain } from "./turn/offline-turn";
import { roomTurnPort } from "./turn/room-port";
import { TurnAgent, type TurnAgentLimits, type TurnAgentOptions } from "./turn/turn-agent";
import { AGENT_MESSAGE_ROOM_TYPE } from "../lib/shared/agent-turn/parse";

export interface DemoAgentOptions {
  rooms: string[];
  target: RoomTarget;
  /** Participant name and thread folder. Default "assistant". */
  agentName?: string;
  /** Default: the offline brain. */
  brain?: Brain;
  /** The turn protocol's brain. Default: the offline commands, falling back to `brain`. */
  turnBrain?: TurnBrain;
  turnLimits?: TurnAgentLimits;
  /** Turn-protocol requests, and turn starts and steers, per sender (TurnAgentOptions). Defaults: 120 and 12 per 10 s. */
  turnRequestLimit?: TurnAgentOptions["requestLimit"];
  turnStartLimit?: TurnAgentOptions["turnLimit"];
  replyTimeoutMs?: number;
  maxConcurrentReplies?: number;
  limits?: ThreadAgentOptions["limits"];
  senderLimit?: ThreadAgentOptions["senderLimit"];
  backoff?: { baseMs?: number; maxMs?: number };
  log?: (line: string) => void;
}

export interface DemoAgentRoom {
  readonly connection: RoomConnection;
  /** The legacy chatbot protocol (`opened`/`chat`/`cancel`). */
  readonly agent: ThreadAgent;
  /** MeshAgent's agent-message turn protocol. */
  readonly turn: TurnAgent;
}

export interface DemoAgent {
  readonly agentName: string;
  readonly brain: Brain;
  readonly rooms: ReadonlyMap<string, DemoAgentRoom>;
  /** Resolves once every room is joined. */
  whenConnected(): Promise<void>;
  stop(): Promise<void>;
}

export function startDemoAgent(options: DemoAgentOptions): DemoAgent {
  const agentName = options.agentName ?? DEFAULT_AGENT_NAME;
  const brain = options.brain ?? createOfflineBrain();
  const turnBrain = options.turnBrain ?? createOfflineTurnBrain({ fallback: brain });
  const log = options.log ?? (() => {});
  const rooms = new Map<string, DemoAgentRoom>();

  for (const room of new Set(options.rooms)) {
    const agent = new ThreadAgent({
      room,
      agentName,
      brain,
      replyTimeoutMs: options.replyTimeoutMs,
      maxConcurrentReplies: options.maxConcurrentReplies,
      limits: options.limits,
      senderLimit: options.senderLimit,
      log: (line) => log(`[${room}] ${line}`),
    });
    const turn = new TurnAgent({
      room,
      agentName,
      brain: turnBrain,
      limits: options.turnLimits,
      requestLimit: options.turnRequestLimit,
      turnLimit: options.turnStartLimit,
      log: (line) => log(`[${room}] ${line}`),
    });
    const connection = new RoomConnection({
      room,
      url: roomUrl(options.target, room),
      token: () => signAgentToken({ target: options.target, room, agentName }),
      onConnected: (client) => wire(client, agent, turn),
      onDisconnected: () => {
        agent.detach();
        turn.detach();
      },
      // A local room restarts in a blink; be quick to notice. Cloud gets a politer ceiling.
      backoff: options.backoff ?? { maxMs: options.target.where === "local-dev-room" ? 3000 : 15_000 },
      log,
    });
    rooms.set(room, { connection, agent, turn });
    connection.start();
  }

  let stopped: Promise<void> | null = null;
  return {
    agentName,
    brain,
    rooms,
    async whenConnected() {
      await Promise.all([...rooms.values()].map((r) => r.connection.whenConnected()));
    },
    stop() {
      stopped ??= (async () => {
        await Promise.all([...rooms.values()].flatMap((r) => [r.agent.stop(), r.turn.stop()]));
        await Promise.all([...rooms.values()].map((r) => r.connection.stop()));
      })();
      return stopped;
    },
  };
}

function wire(client: RoomClient, agent: ThreadAgent, turn: TurnAgent): void {
  agent.attach(roomPort(client));
  turn.attach(roomTurnPort(client));
  client.messaging.on("message", (event: RoomMessageEvent) => {
    const { fromParticipantId, type, message } = event.message;
    // Turn-protocol clients send "agent-message"; everything else is the legacy contract.
    if (type === AGENT_MESSAGE_ROOM_TYPE) void turn.handle(fromParticipantId, message);
    else void agent.handle(fromParticipantId, type, message);
  });
  client.messaging.on("participant_removed", (event: RoomMessageEvent) => {
    agent.participantLeft(event.message?.message?.id);
    turn.participantLeft(event.message?.message?.id);
  });
}

/** The brain the environment asks for: a model when OPENAI_API_KEY is set, else offline. */
export function brainFromEnv(env: AgentEnv): Brain {
  if (!env.OPENAI_API_KEY) return createOfflineBrain();
  return createModelBrain({
    apiKey: env.OPENAI_API_KEY,
    baseURL: env.OPENAI_BASE_URL,
    model: env.OPENAI_MODEL,
    streaming: env.AGENT_MODEL_STREAMING,
  });
}

/** The turn protocol's brain: a model with tools when OPENAI_API_KEY is set, else the offline commands. */
export function turnBrainFromEnv(env: AgentEnv, fallback: Brain): TurnBrain {
  if (!env.OPENAI_API_KEY) return createOfflineTurnBrain({ fallback });
  return createModelTurnBrain({
    apiKey: env.OPENAI_API_KEY,
    baseURL: env.OPENAI_BASE_URL,
    model: env.OPENAI_MODEL,
    timeoutMs: env.AGENT_REPLY_TIMEOUT_SECONDS * 1000,
  });
}

export function demoAgentOptionsFromEnv(env: AgentEnv, repoRoot: string): DemoAgentOptions {
  const brain = brainFromEnv(env);
  return {
    rooms: agentRooms(env),
    target: resolveRoomTarget(env, repoRoot),
    agentName: env.AGENT_NAME,
    brain,
    turnBrain: turnBrainFromEnv(env, brain),
    replyTimeoutMs: env.AGENT_REPLY_TIMEOUT_SECONDS * 1000,
  };
}
