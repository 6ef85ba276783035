import { describe, expect, it } from "vitest";
import { createOfflineBrain } from "./offline";
import type { RoomView } from "./types";

const room: RoomView = {
  room: "lobby",
  agentName: "assistant",
  participants: () => [
    { name: "bob", role: "user" },
    { name: "alice", role: "user" },
    { name: "indexer", role: "agent" },
  ],
};

async function reply(text: string, view: RoomView = room): Promise<string> {
  return createOfflineBrain().reply({
    text,
    history: [],
    userName: "alice",
    room: view,
    signal: new AbortController().signal,
    progress: () => {},
  });
}

describe("offline brain", () => {
  it("greets by name and points at help", () => {
    expect(createOfflineBrain().greeting("alice", room)).toBe(
      'Hi alice! I\'m assistant, a demo agent running without a model. Type "help" to see what I can do.',
    );
  });

  it.each(["help", "Help!", "  HELP  ", "?"])("answers %j with the command list", async (text) => {
    expect(await reply(text)).toMatch(/^I'm a demo agent without a language model. I understand:\n• help/);
  });

  it("lists who is in the room, sorted, marking agents", async () => {
    expect(await reply("Who is here?")).toBe(
      'Besides me, "lobby" has 3 other participants:\n• alice\n• bob\n• indexer (agent)',
    );
    expect(await reply("who", { ...room, participants: () => [] })).toBe('Nobody else is in "lobby" right now.');
  });

  it("says what it is and how to give it a model", async () => {
    const text = await reply("What can you do?");
    expect(text).toContain('connected to the room "lobby"');
    expect(text).toContain("OPENAI_API_KEY");
    expect(text).toContain("agent/brain/");
  });

  it("answers ping, and echoes anything else with guidance, deterministically", async () => {
    expect(await reply("ping")).toBe("pong");
    const once = await reply("What is the capital of France?");
    expect(once).toBe(
      'You said: "What is the capital of France?". I have no language model, so I can\'t answer that question myself. ' +
        'Try "help", "who" or "about", or give me a model with OPENAI_API_KEY.',
    );
    expect(await reply("What is the capital of France?")).toBe(once);
    const long = await reply("x".repeat(1000));
    expect(long).toContain(`"${"x".repeat(200)}…"`);
    expect(long).toContain("that message");
  });
});
