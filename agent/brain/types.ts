// The seam for your own agent logic: a Brain turns one user message (with the
// thread's recent history and a view of the room) into one reply.

export interface ChatTurn {
  role: "user" | "assistant";
  text: string;
}

export interface RoomView {
  room: string;
  agentName: string;
  /** Everyone else in the room right now, as the room reports them. */
  participants(): { name: string; role: string }[];
}

export interface BrainRequest {
  /** What the user just wrote (already validated: a non-empty string within the size limit). */
  text: string;
  /** Earlier turns of this thread, oldest first, bounded; without `text`. */
  history: readonly ChatTurn[];
  /** Display name of the person the thread belongs to. */
  userName: string;
  room: RoomView;
  /** Aborted when the user presses Stop, the reply takes too long, or the agent stops. */
  signal: AbortSignal;
  /** Replace the status line the user sees ("Thinking" at first). */
  progress(text: string): void;
}

export interface Brain {
  /** Shown in logs and the greeting, e.g. "offline" or the model id. */
  readonly description: string;
  greeting(userName: string, room: RoomView): string;
  reply(request: BrainRequest): Promise<string>;
}

/** A failure the user should see in so many words (the agent stays up either way). */
export class BrainError extends Error {
  constructor(
    readonly userMessage: string,
    options?: { cause?: unknown },
  ) {
    super(userMessage, options);
    this.name = "BrainError";
  }
}
