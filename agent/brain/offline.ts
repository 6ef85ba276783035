// The brain used when no model is configured: deterministic, instant, and
// still useful in a room (help, who is here, what the agent can do).

import type { Brain, BrainRequest, RoomView } from "./types";

const HELP = [
  "I'm a demo agent without a language model. I understand:",
  "• help — this list",
  "• who — who is in this room",
  "• about — what I am and how to give me a model",
  "• ping — check that I'm listening",
  "Anything else I repeat back with a hint.",
].join("\n");

function about(room: RoomView): string {
  return (
    `I'm ${room.agentName}, the starter's demo agent, connected to the room "${room.room}" as a participant with the role "agent". ` +
    "I answer each person in their own thread. Set OPENAI_API_KEY (and optionally OPENAI_BASE_URL and OPENAI_MODEL " +
    "for Ollama, vLLM or any OpenAI-compatible server) and restart me to get model answers. " +
    "My logic lives in agent/brain/: replace it with your own."
  );
}

function who(room: RoomView): string {
  const others = room.participants();
  if (others.length === 0) return `Nobody else is in "${room.room}" right now.`;
  const lines = others
    .map((p) => `• ${p.name}${p.role === "agent" ? " (agent)" : ""}`)
    .sort((a, b) => a.localeCompare(b));
  const count = others.length === 1 ? "1 other participant" : `${others.length} other participants`;
  return `Besides me, "${room.room}" has ${count}:\n${lines.join("\n")}`;
}

// Normalised so "Who is here?" and "who" mean the same.
function intent(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s]/gu, " ")
    .replace(/\s+/g, " ")
    .trim();
}

const QUOTE_LIMIT = 200;

export function createOfflineBrain(): Brain {
  return {
    description: "offline (no model configured)",
    greeting(userName, room) {
      return `Hi ${userName}! I'm ${room.agentName}, a demo agent running without a model. Type "help" to see what I can do.`;
    },
    async reply({ text, room }: BrainRequest) {
      const said = intent(text);
      if (["help", "commands", "h", ""].includes(said)) return HELP;
      if (/^(who|who is here|who s here|who is in the room|participants|people)$/.test(said)) return who(room);
      if (/^(about|what can you do|what are you|who are you|capabilities)$/.test(said)) return about(room);
      if (said === "ping") return "pong";
      const quoted = text.trim().length > QUOTE_LIMIT ? `${text.trim().slice(0, QUOTE_LIMIT)}…` : text.trim();
      const question = text.trim().endsWith("?") ? "question" : "message";
      return (
        `You said: "${quoted}". I have no language model, so I can't answer that ${question} myself. ` +
        `Try "help", "who" or "about", or give me a model with OPENAI_API_KEY.`
      );
    },
  };
}
