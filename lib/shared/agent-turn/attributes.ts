// Participant attributes by which a MeshAgent chat agent says what it speaks
// (spec §1.6). The browser reads them; the demo agent sets them.

/** `true` → talk to it with the turn protocol; otherwise the legacy `chat` protocol. */
export const SUPPORTS_AGENT_MESSAGES = "supports_agent_messages";
/** `false` hides the agent from the chat UI. */
export const SUPPORTS_CHAT = "supports_chat";
/** `"default-new"`: a thread list, and a new thread for a new chat. */
export const CHATBOT_THREADING = "meshagent.chatbot.threading";
/** A single-thread agent names its one thread here. */
export const CHATBOT_THREAD_PATH = "meshagent.chatbot.thread-path";
/** The heading of an empty thread. */
export const EMPTY_STATE_TITLE = "empty_state_title";

export const THREADING_DEFAULT_NEW = "default-new";
