import type { AgentError } from "@/lib/shared/agent-turn/fields";

/**
 * An agent's error `{message, code}` in words a person understands. Known
 * codes (MeshAgent's and the demo agent's) get a sentence; anything else
 * shows the agent's own message, trimmed, since it is all we have.
 */
const IN_WORDS: Record<string, string> = {
  cancelled: "Stopped.",
  unknown_provider: "The agent cannot use the model provider it was asked for.",
  unknown_model: "The agent does not know the model it was asked for.",
  unsupported_modality: "The agent cannot take this kind of input.",
  unknown_backend: "The agent cannot use the backend it was asked for.",
  realtime_connection_failed: "The agent could not open a live connection.",
  participant_name_required: "The agent needs your name to answer; set one and try again.",
  turn_not_in_progress: "That answer had already finished.",
  turn_owned_by_participant: "Only the person who asked can change this answer.",
  turn_ended: "That answer had already finished.",
  thread_not_found: "This chat no longer exists.",
  invalid_content: "The agent could not read that message.",
  limit_reached: "The agent has reached a limit; try again later.",
};

const MAX_MESSAGE = 300;

export function turnErrorInWords(error: AgentError): string {
  const known = error.code ? IN_WORDS[error.code] : undefined;
  if (known) return known;
  const message = error.message.replace(/\s+/g, " ").trim();
  if (!message) return "The agent ran into a problem and stopped.";
  const short = message.length > MAX_MESSAGE ? `${message.slice(0, MAX_MESSAGE)}…` : message;
  return `The agent ran into a problem: ${short}`;
}
