// Seeded fuzzing from two hostile participants (one on the real SDK, one on a
// raw socket) while two honest SDK clients chat: random attribute values and
// payloads of every message type the SDK knows. The honest pair loses nothing,
// sees nobody under a false name, and the server stays up.

import { prng } from "../testing/prng";
import { expect, it } from "vitest";
import type { RoomClient, RoomMessageEvent } from "@meshagent/meshagent";
import { useHarness, sdkToken, waitFor, withTimeout } from "./test-helpers";
import { encodeMessage, packMessage } from "./framing";

const h = useHarness();

/** Every message type the 0.35.8 SDK sends, handles, or interprets inside messaging.send. */
const KNOWN_TYPES = [
  "set_attributes",
  "room.invoke_tool",
  "__response__",
  "connected",
  "room_ready",
  "messaging.send",
  "room.status",
  "room.tool_call_response_chunk",
  "room.tool_call_request_chunk",
  "room.register_toolkit",
  "room.list_toolkits",
  "room.unregister_toolkit",
  "room.tool_call_response",
  "room.tool_call.fuzz",
  "room.call",
  "agent.ask",
  "storage.file.updated",
  "developer.log",
  "secrets.request_secret",
];
const MESSAGING_TYPES = [
  "participant.enabled",
  "participant.disabled",
  "participant.attributes",
  "messaging.enabled",
  "chat",
  "chat-a",
  "chat-b",
  "",
];

it("hostile attributes and payloads of every known type never cost the honest chat a message", async () => {
  const rng = prng(0xd5d6d7);
  const int = (n: number) => Math.floor(rng() * n);
  const pick = <T>(list: readonly T[]): T => list[int(list.length)];
  const randomString = (max: number) =>
    Array.from({ length: int(max) }, () =>
      pick(["a", "\u202e", "\u2028", "\n", "\u0000", "👩‍👩‍👧", "\ud800", "<script>", '"', "\\"]),
    ).join("");
  const randomValue = (depth = 0): unknown => {
    switch (int(depth > 2 ? 5 : 8)) {
      case 0:
        return randomString(40);
      case 1:
        return rng() * 1e308 * (rng() < 0.5 ? -1 : 1);
      case 2:
        return null;
      case 3:
        return rng() < 0.5;
      case 4:
        return "x".repeat(int(40_000));
      case 5:
        return { toString: 1, valueOf: randomValue(depth + 1), __proto__x: randomValue(depth + 1) };
      case 6:
        return Array.from({ length: int(5) }, () => randomValue(depth + 1));
      default:
        return Object.fromEntries(Array.from({ length: int(4) }, () => [randomString(10), randomValue(depth + 1)]));
    }
  };
  const randomKey = () =>
    pick(["name", "role", "__proto__", "constructor", "status", randomString(20), "k".repeat(300)]);

  const alice = await h.join("alice");
  const bob = await h.join("bob");
  const mallory = await h.join("mallory");
  const [aliceId, bobId, malloryId] = [alice, bob, mallory].map((r) => r.localParticipant!.id);
  const raw = await h.raw(await sdkToken({ name: "raw-mallory" }));
  raw.send("room.invoke_tool", { toolkit: "messaging", tool: "enable", arguments: { type: "json", json: {} } });
  await waitFor(() => alice.messaging.remoteParticipants.length === 3, "alice sees everyone");
  await waitFor(() => bob.messaging.remoteParticipants.length === 3, "bob sees everyone");

  const chatFrom = (room: RoomClient, type: string, from: string) => {
    const seen: unknown[] = [];
    room.messaging.on("message", (e: RoomMessageEvent) => {
      if (e.message.type === type && e.message.fromParticipantId === from) seen.push(e.message.message.seq);
    });
    return seen;
  };
  const atBob = chatFrom(bob, "chat-a", aliceId);
  const atAlice = chatFrom(alice, "chat-b", bobId);
  let pageErrors = 0;
  for (const room of [alice, bob]) {
    room.messaging.on("participant_added", () => {});
    room.messaging.on("message", (e: RoomMessageEvent) => {
      // What an app would do with a sender's name: must never throw.
      try {
        String(room.messaging.getParticipant(e.message.fromParticipantId)?.getAttribute("name") ?? "");
      } catch {
        pageErrors++;
      }
    });
  }

  const CHAT = 100;
  const bobAtAlice = alice.messaging.getParticipant(bobId)!;
  const chat = Promise.all([
    (async () => {
      for (let seq = 0; seq < CHAT; seq++)
        await alice.messaging.sendMessage({ to: bobAtAlice, type: "chat-a", message: { seq } });
    })(),
    (async () => {
      for (let seq = 0; seq < CHAT; seq++) await bob.messaging.broadcastMessage({ type: "chat-b", message: { seq } });
    })(),
  ]);

  const refused: string[] = [];
  const sdkAttack = (async () => {
    const targets = () => mallory.messaging.remoteParticipants;
    for (let i = 0; i < 300; i++) {
      const action = int(5);
      try {
        if (action === 0) {
          await mallory.localParticipant!.setAttribute(randomKey(), randomValue());
        } else if (action === 1) {
          await mallory.messaging.broadcastMessage({
            type: pick(MESSAGING_TYPES),
            message: { seq: int(CHAT), junk: randomValue(), id: pick([aliceId, bobId, "ghost"]) } as never,
          });
        } else if (action === 2 && targets().length > 0) {
          await mallory.messaging.sendMessage({
            to: pick(targets()),
            type: pick(MESSAGING_TYPES),
            message: { seq: int(CHAT), participants: [{ id: "fake", role: "admin", attributes: randomValue() }] },
          });
        } else if (action === 3) {
          await mallory.messaging.disable();
          await mallory.messaging.enable();
        } else {
          await mallory.messaging.broadcastMessage({
            type: "chat-a",
            message: { seq: int(CHAT) },
            attachment: new Uint8Array(int(5000)),
          });
        }
      } catch (error) {
        refused.push(String(error));
      }
    }
  })();

  let rawFrames = 0;
  const rawAttack = (async () => {
    for (let i = 0; i < 1500 && raw.open; i++) {
      const type = pick(KNOWN_TYPES);
      const header =
        type === "room.invoke_tool"
          ? {
              toolkit: pick(["messaging", "storage", "sync", "x"]),
              tool: pick(["enable", "disable", "send", "broadcast", "list"]),
              arguments: {
                type: "json",
                json: {
                  type: pick(MESSAGING_TYPES),
                  message_json: pick([JSON.stringify({ seq: int(CHAT) }), "{", "[]", randomString(30)]),
                  to_participant_id: pick([aliceId, bobId, malloryId, "ghost"]),
                  attachment_base64: pick([undefined, "AAAA", "***"]),
                },
              },
            }
          : type === "set_attributes"
            ? { [randomKey()]: randomValue() }
            : ({ type: "init", participantId: "fake", attributes: randomValue(), junk: randomValue() } as Record<
                string,
                unknown
              >);
      for (const frame of encodeMessage({ id: int(2 ** 31), type, data: packMessage(header) })) raw.sendFrame(frame);
      rawFrames++;
      if (i % 25 === 0) await new Promise((resolve) => setTimeout(resolve, 0));
    }
  })();

  await withTimeout(Promise.all([chat, sdkAttack, rawAttack]), 60_000, "chat and attacks");
  // Mallory ends enabled, so everyone's roster must show exactly the four real participants.
  await mallory.messaging.enable();
  await alice.messaging.broadcastMessage({ type: "fence", message: {} });
  await waitFor(() => atBob.length >= CHAT && atAlice.length >= CHAT, "all chat", 10_000);
  await new Promise((resolve) => setTimeout(resolve, 300));

  const range = Array.from({ length: CHAT }, (_, i) => i);
  expect(atBob).toEqual(range);
  expect(atAlice).toEqual(range);
  expect(pageErrors).toBe(0);
  expect(refused.length).toBeGreaterThan(0);
  expect(refused.every((text) => /RoomServerException|permission denied|reserved/.test(text))).toBe(true);

  const names = (room: RoomClient) =>
    Object.fromEntries(room.messaging.remoteParticipants.map((p) => [p.id, [p.getAttribute("name"), p.role]]));
  await waitFor(() => alice.messaging.getParticipant(malloryId) !== null, "mallory back at alice");
  await waitFor(() => bob.messaging.getParticipant(malloryId) !== null, "mallory back at bob");
  const rosterAtAlice = names(alice);
  const rosterAtBob = names(bob);
  expect(rosterAtAlice[bobId]).toEqual(["bob", "user"]);
  expect(rosterAtAlice[malloryId]).toEqual(["mallory", "user"]);
  expect(rosterAtBob[aliceId]).toEqual(["alice", "user"]);
  expect(rosterAtBob[malloryId]).toEqual(["mallory", "user"]);
  for (const roster of [rosterAtAlice, rosterAtBob]) {
    expect(Object.keys(roster)).not.toContain("fake");
    expect(Object.values(roster).map(([name]) => name)).not.toContain("Admin");
    for (const [name, role] of Object.values(roster)) {
      expect(typeof name).toBe("string");
      expect(role).toBe("user");
    }
  }
  for (const p of alice.messaging.remoteParticipants) {
    expect(Object.getPrototypeOf((p as unknown as { _attributes: object })._attributes)).toBe(Object.prototype);
    expect(Buffer.byteLength(JSON.stringify((p as unknown as { _attributes: object })._attributes))).toBeLessThan(
      64 * 1024 + 1024,
    );
  }
  // Still up and serving.
  const late = await h.join("late");
  expect(late.messaging.getParticipant(malloryId)?.getAttribute("name")).toBe("mallory");
  console.info(
    `fuzz: ${CHAT}+${CHAT} honest messages delivered, 300 SDK attacks (${refused.length} refused), ${rawFrames} raw messages`,
  );
}, 90_000);
