"use client";

import type { RoomClient } from "@meshagent/meshagent";
import { useCallback, useEffect, useRef } from "react";
import * as z from "zod/mini";
import { useStore } from "zustand";
import type { RoomAgent } from "@/features/agents/use-agents";
import { EMPTY_AGENT_STATE, type OpenThread } from "@/features/agents/turn/turn-state";
import { TURN_STORE, createTurnStore } from "@/features/agents/turn/turn-store";
import { buildClientRequest } from "@/lib/shared/agent-turn/build";
import type { InputContent } from "@/lib/shared/agent-turn/content";
import { clientRequestSchema, type ClientRequest } from "@/lib/shared/agent-turn/messages";
import { AGENT_MESSAGE_ROOM_TYPE, parseAgentEvent } from "@/lib/shared/agent-turn/parse";
import { UI_CLIENT_TOOLS } from "@/lib/shared/agent-turn/ui-toolkit";
import { NOT_CONNECTED } from "@/lib/room/delivery";
import { defineRoomMessage, sendRoomMessage, useRoomMessage } from "@/lib/room/room-message";
import { useRoom, useRoomStore } from "@/lib/room/use-room";

/** How long an opened thread may stay silent before the view offers a retry (MeshAgent's UIs wait as long). */
const OPEN_SILENCE_MS = 30_000;

/** Turn-protocol payloads travel as room messages of this type; inbound ones are parsed by parseAgentEvent. */
const agentMessageIn = defineRoomMessage(AGENT_MESSAGE_ROOM_TYPE, z.unknown());
const agentMessageOut = defineRoomMessage(AGENT_MESSAGE_ROOM_TYPE, clientRequestSchema);

export function useTurnStore() {
  return useRoomStore(TURN_STORE, createTurnStore);
}

/** Files every turn-protocol agent's events into its store, whichever agent or thread is on screen. */
export function useTurnEvents(agents: readonly RoomAgent[]) {
  const queueEvent = useStore(useTurnStore(), (state) => state.queueEvent);
  useRoomMessage(agentMessageIn, ({ from, payload }) => {
    // Only the agent the page talks to under a name speaks for it: not a user, not another agent of that name.
    if (!from || from.role !== "agent") return;
    if (agents.find((agent) => agent.name === from.name)?.participant.id !== from.id) return;
    const event = parseAgentEvent(payload);
    if (event) queueEvent(from.name, { type: "event", event });
  });
}

type Sendable = ClientRequest & { message_id: string };

/** Sends one request to an agent (by participant id), checked against the protocol's schema first. */
export function sendTurnRequest(client: RoomClient, agentId: string, request: Sendable): Promise<void> {
  return sendRoomMessage(client, agentId, agentMessageOut, request);
}

/** The `ui` tools this page offers with every turn; the agent calls them as client tools. */
const CLIENT_TOOLKITS = [...UI_CLIENT_TOOLS];

/**
 * One turn-protocol agent as the Agents tab uses it: its thread list, the
 * thread on screen, and every request the person can make. Keeps the list
 * watched and the shown thread open across reconnects and agent rejoins
 * (reopening with `since_turn`, so only what was missed is replayed).
 */
export function useTurnAgent(name: string, agent: RoomAgent | null) {
  const { client } = useRoom();
  const store = useTurnStore();
  const state = useStore(store, (s) => s.agents[name] ?? EMPTY_AGENT_STATE);
  const selected = useStore(store, (s) => s.selected[name] ?? null);
  const dispatch = useStore(store, (s) => s.dispatch);
  const select = useStore(store, (s) => s.select);
  const agentId = agent?.participant.id ?? null;
  const single = agent?.kind.threadPath ?? null;
  const threadId = single ?? selected;
  const thread: OpenThread | null = threadId ? (state.open[threadId] ?? null) : null;
  const justStarted = useRef<string | null>(null);

  const send = useCallback(
    (request: Sendable) => {
      dispatch(name, { type: "request", request });
      if (!client || !agentId) {
        const error = !client ? NOT_CONNECTED : `Not sent: ${name} is not in the room.`;
        dispatch(name, { type: "send-failed", messageId: request.message_id, error });
        return;
      }
      sendTurnRequest(client, agentId, request).catch(() =>
        dispatch(name, {
          type: "send-failed",
          messageId: request.message_id,
          error: `Not sent: ${name} is unreachable.`,
        }),
      );
    },
    [client, agentId, name, dispatch],
  );

  // The thread list, watched for changes, whenever we (re)connect or the agent (re)joins.
  useEffect(() => {
    if (!client || !agentId || single) return;
    send(buildClientRequest("meshagent.agent.thread.watch", {}));
    send(buildClientRequest("meshagent.agent.thread.list", { limit: 200, offset: 0 }));
  }, [client, agentId, single, send]);

  // The thread on screen is open with the agent: its history replayed (or only what we missed).
  const lastEnded = thread?.lastEndedTurnId ?? undefined;
  const lastEndedRef = useRef(lastEnded);
  useEffect(() => {
    lastEndedRef.current = lastEnded;
  });
  useEffect(() => {
    if (!client || !agentId || !threadId) return;
    if (justStarted.current === threadId) {
      // We started it: we already get its events; ask for the running turn's buffer only.
      justStarted.current = null;
      send(buildClientRequest("meshagent.agent.thread.open", { thread_id: threadId, load: false }));
      return;
    }
    send(
      buildClientRequest("meshagent.agent.thread.open", {
        thread_id: threadId,
        load: true,
        since_turn: lastEndedRef.current,
      }),
    );
  }, [client, agentId, threadId, send]);

  // A thread.start of ours came back: show the new thread.
  const started = state.startedThread;
  useEffect(() => {
    if (!started) return;
    justStarted.current = started.threadId;
    select(name, started.threadId);
    dispatch(name, { type: "started-seen" });
  }, [started, name, select, dispatch]);

  // No word from the agent for too long while loading: say so and offer a retry.
  const loadingId = thread?.phase === "loading" ? thread.openMessageId : null;
  useEffect(() => {
    if (!threadId || !loadingId) return;
    const timer = setTimeout(
      () => dispatch(name, { type: "open-silent", threadId, openMessageId: loadingId }),
      OPEN_SILENCE_MS,
    );
    return () => clearTimeout(timer);
  }, [thread, threadId, loadingId, name, dispatch]);

  const retryOpen = useCallback(() => {
    if (threadId) send(buildClientRequest("meshagent.agent.thread.open", { thread_id: threadId, load: true }));
  }, [threadId, send]);

  const runningTurn = thread?.turns.findLast((turn) => turn.state === "running") ?? null;
  const status = thread?.status ?? null;
  const activeTurnId = status?.turnId ?? runningTurn?.turnId ?? null;
  const steerable = status?.mode === "steerable" && activeTurnId !== null;

  const sendMessage = useCallback(
    (content: InputContent[]) => {
      if (content.length === 0) return;
      if (!threadId)
        return send(buildClientRequest("meshagent.agent.thread.start", { content, client_toolkits: CLIENT_TOOLKITS }));
      if (steerable && activeTurnId)
        return send(
          buildClientRequest("meshagent.agent.turn.steer", { thread_id: threadId, turn_id: activeTurnId, content }),
        );
      send(
        buildClientRequest("meshagent.agent.turn.start", {
          thread_id: threadId,
          content,
          client_toolkits: CLIENT_TOOLKITS,
        }),
      );
    },
    [threadId, steerable, activeTurnId, send],
  );

  const stop = useCallback(() => {
    if (threadId && activeTurnId)
      send(buildClientRequest("meshagent.agent.turn.interrupt", { thread_id: threadId, turn_id: activeTurnId }));
  }, [threadId, activeTurnId, send]);

  const rename = useCallback(
    (id: string, newName: string) => {
      const trimmed = newName.replace(/\s+/g, " ").trim().slice(0, 200);
      if (trimmed) send(buildClientRequest("meshagent.agent.thread.rename", { thread_id: id, name: trimmed }));
    },
    [send],
  );

  const remove = useCallback(
    (id: string) => {
      send(buildClientRequest("meshagent.agent.thread.delete", { thread_id: id }));
      if (id === selected) select(name, null);
    },
    [send, selected, select, name],
  );

  const decide = useCallback(
    (turnId: string, itemId: string, approve: boolean) => {
      if (!threadId) return;
      const type = approve ? "meshagent.agent.tool_call.approve" : "meshagent.agent.tool_call.reject";
      send(buildClientRequest(type, { thread_id: threadId, turn_id: turnId, item_id: itemId }));
    },
    [threadId, send],
  );

  return {
    state,
    threadId,
    thread,
    single: single !== null,
    status,
    running: activeTurnId !== null,
    steerable,
    canSend: client !== null && agentId !== null,
    send,
    select: (id: string | null) => select(name, id),
    sendMessage,
    stop,
    rename,
    remove,
    decide,
    retryOpen,
  };
}
