"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import { useStore } from "zustand";
import { agentStatus } from "@/features/agents/agent-status";
import {
  AGENT_CHAT_MAX_LENGTH,
  cancelMessage,
  chatFromAgent,
  chatToAgent,
  isOwnAgentReply,
  openedMessage,
  typingMessage,
} from "@/features/agents/agent-messages";
import { AGENT_THREADS_STORE, createAgentThreads, type AgentLine } from "@/features/agents/agent-threads";
import { agentThreadPath } from "@/lib/shared/agent-thread-path";
import type { RoomAgent } from "@/features/agents/use-agents";
import { NOT_CONNECTED } from "@/lib/room/delivery";
import { sendRoomMessage, useRoomMessage } from "@/lib/room/room-message";
import { useRoom, useRoomStore } from "@/lib/room/use-room";

const TYPING_INTERVAL_MS = 1000;
const EMPTY: readonly AgentLine[] = [];

export function useAgentThreadsStore() {
  return useRoomStore(AGENT_THREADS_STORE, createAgentThreads);
}

/** Files every agent's reply to us into its thread, whichever thread is on screen. */
export function useAgentReplies(agents: readonly RoomAgent[]) {
  const { user } = useRoom();
  const dispatch = useStore(useAgentThreadsStore(), (state) => state.dispatch);
  useRoomMessage(chatFromAgent, ({ from, payload }) => {
    if (!isOwnAgentReply(from, payload.path, (name) => agentThreadPath(name, user.name))) return;
    // Only the agent the page talks to under that name (see chatAgents), not a second one that took the name.
    if (agents.find((agent) => agent.name === from?.name)?.participant.id !== from?.id) return;
    dispatch({
      type: "add",
      path: payload.path,
      line: { id: crypto.randomUUID(), own: false, text: payload.text, at: Date.now(), status: "received" },
    });
  });
}

/**
 * Our thread with one agent (by name; `agent` is null while no agent of that
 * name is in the room): its lines, the agent's live status, and what we can
 * send. Tells the agent the thread is open whenever it is shown, the agent
 * (re)joins with a new id, or we reconnect with a new client.
 */
export function useAgentThread(name: string, agent: RoomAgent | null) {
  const { client, user } = useRoom();
  const store = useAgentThreadsStore();
  const path = agentThreadPath(name, user.name);
  const lines = useStore(store, (state) => state.threads[path] ?? EMPTY);
  const dispatch = useStore(store, (state) => state.dispatch);
  const agentId = agent?.participant.id ?? null;
  const status = agent ? agentStatus(agent.participant, path) : null;
  const lastTyping = useRef(0);

  useEffect(() => {
    if (!client || !agentId) return;
    sendRoomMessage(client, agentId, openedMessage, { path }).catch(() => {});
  }, [client, agentId, path]);

  const send = useCallback(
    (text: string) => {
      const trimmed = text.trim().slice(0, AGENT_CHAT_MAX_LENGTH);
      if (!trimmed) return;
      const id = crypto.randomUUID();
      const problem = !client ? NOT_CONNECTED : !agentId ? `Not sent: ${name} is not in the room.` : null;
      dispatch({
        type: "add",
        path,
        line: {
          id,
          own: true,
          text: trimmed,
          at: Date.now(),
          status: problem ? "failed" : "sending",
          error: problem ?? undefined,
        },
      });
      if (!client || !agentId) return;
      lastTyping.current = 0;
      sendRoomMessage(client, agentId, chatToAgent, { path, text: trimmed, attachments: [], store: true })
        .then(() => dispatch({ type: "status", path, id, status: "sent" }))
        .catch(() =>
          dispatch({ type: "status", path, id, status: "failed", error: `Not sent: ${name} is unreachable.` }),
        );
    },
    [client, agentId, name, path, dispatch],
  );

  const typing = useCallback(() => {
    const now = Date.now();
    if (!client || !agentId || now - lastTyping.current < TYPING_INTERVAL_MS) return;
    lastTyping.current = now;
    sendRoomMessage(client, agentId, typingMessage, { path }).catch(() => {});
  }, [client, agentId, path]);

  // Agents from MeshAgent 0.40 on publish no status attribute: a message of ours
  // with no reply after it is still "pending", and Stop must show for it too.
  const last = lines.at(-1);
  const [stoppedId, setStoppedId] = useState<string | null>(null);
  const pending = last !== undefined && last.own && last.status === "sent" && last.id !== stoppedId;

  const cancel = useCallback(() => {
    if (last?.own) setStoppedId(last.id);
    if (!client || !agentId) return;
    sendRoomMessage(client, agentId, cancelMessage, { path }).catch(() => {});
  }, [client, agentId, path, last]);

  return { path, lines, status, pending, send, typing, cancel, canSend: client !== null && agentId !== null };
}
