"use client";

import { useEffect, useRef } from "react";
import { useTurnStore, sendTurnRequest } from "@/features/agents/turn/use-turn-agent";
import { useUiRequests } from "@/features/ui-tools/ui-tools-host";
import { buildClientRequest } from "@/lib/shared/agent-turn/build";
import type { ToolContent } from "@/lib/shared/agent-turn/content";
import { parseUiToolCall } from "@/lib/shared/agent-turn/ui-toolkit";
import { useRoomContext } from "@/lib/room/room-context";
import { useRoom } from "@/lib/room/use-room";

/**
 * Answers turn-protocol agents' client tool calls (the `ui` tools offered in
 * each turn's client_toolkits) through the page's UI requests. Each
 * request_id is taken once; calls first seen in a history replay are never
 * asked again; a call the agent cancels closes its dialog.
 */
export function useClientTools() {
  const { client } = useRoom();
  const { roster } = useRoomContext();
  const turns = useTurnStore();
  const requests = useUiRequests();
  const claimed = useRef(new Set<string>());

  useEffect(() => {
    const handle = () => {
      const { agents, dispatch } = turns.getState();
      const ui = requests.getState();
      const live = new Set<string>();
      for (const [agentName, state] of Object.entries(agents)) {
        for (const call of Object.values(state.clientCalls)) {
          const key = `${agentName}\n${call.requestId}`;
          live.add(key);
          if (call.state === "cancelled") {
            if (claimed.current.has(key)) ui.withdraw(key);
            continue;
          }
          if (call.state !== "requested" || call.replayed || claimed.current.has(key)) continue;
          claimed.current.add(key);
          const respond = (response: ToolContent) => {
            const agent = [...roster.getState().roster.values()].find(
              (p) => p.role === "agent" && p.name === agentName,
            );
            const request = buildClientRequest("meshagent.agent.client_tool_call.response", {
              thread_id: call.threadId,
              turn_id: call.turnId,
              request_id: call.requestId,
              response,
            });
            dispatch(agentName, { type: "request", request });
            if (client && agent) sendTurnRequest(client, agent.id, request).catch(() => undefined);
          };
          const parsed = parseUiToolCall(call.tool, call.arguments);
          if (!parsed)
            respond({ type: "error", text: `this page has no tool ${call.tool.slice(0, 100)} for these arguments` });
          else ui.submit({ key, asker: agentName, call: parsed, respond });
        }
      }
      // The store keeps a capped number of calls; so does this set, or an agent's stream of calls would grow it.
      for (const key of claimed.current) if (!live.has(key)) claimed.current.delete(key);
    };
    handle();
    return turns.subscribe(handle);
  }, [client, roster, turns, requests]);
}
