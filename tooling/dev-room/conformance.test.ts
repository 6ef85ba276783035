// The real @meshagent/meshagent 0.35.8 client against the dev room server:
// join, presence, messaging, attributes, leave, errors (spec §9).

import { describe, expect, it } from "vitest";
import {
  ApiScope,
  LivekitGrant,
  MessagingGrant,
  ParticipantToken,
  RemoteParticipant,
  RoomMessageEvent,
  type RoomClient,
} from "@meshagent/meshagent";
import { useHarness, SECRET, sdkToken, waitFor, withTimeout, roomRefusal } from "./test-helpers";

const h = useHarness();

function collect(room: RoomClient, type?: string): RoomMessageEvent[] {
  const seen: RoomMessageEvent[] = [];
  room.messaging.on("message", (event: RoomMessageEvent) => {
    if (type === undefined || event.message.type === type) seen.push(event);
  });
  return seen;
}

function remote(observer: RoomClient, subject: RoomClient): RemoteParticipant | null {
  return observer.messaging.getParticipant(subject.localParticipant!.id);
}

/** Waits until `observer` knows `subject` (participant.enabled arrives after the subject's enable()). */
async function peer(observer: RoomClient, subject: RoomClient): Promise<RemoteParticipant> {
  await waitFor(() => remote(observer, subject) !== null, "participant_added");
  return remote(observer, subject)!;
}

describe("joining", () => {
  it("start() resolves with localParticipant, name attribute and room_ready; enable() resolves", async () => {
    const client = h.open(await sdkToken({ name: "alice" }));
    await withTimeout(client.started, 1000, "start()");
    const local = client.room.localParticipant;
    expect(local?.id).toMatch(/.+/);
    expect(local?.getAttribute("name")).toBe("alice");
    expect(await client.room.ready).toBe("test");
    await client.room.messaging.enable();
    expect(client.room.messaging.isEnabled).toBe(true);
    expect(h.server.stats().rooms.test).toEqual([{ id: local!.id, name: "alice", messaging: true }]);
  });

  it("two clients see each other as remote participants with names and role user", async () => {
    const alice = await h.join("alice");
    const added: unknown[] = [];
    alice.messaging.on("participant_added", (e: unknown) => added.push(e));
    const bob = await h.join("bob");
    // The snapshot arrives before enable() resolves.
    const aliceAtBob = remote(bob, alice);
    expect(aliceAtBob?.role).toBe("user");
    expect(aliceAtBob?.getAttribute("name")).toBe("alice");
    expect(bob.messaging.remoteParticipants).toHaveLength(1);
    await waitFor(() => added.length === 1, "participant_added at alice");
    expect(alice.messaging.getParticipantByName("bob")?.id).toBe(bob.localParticipant!.id);
    expect(alice.messaging.remoteParticipants).toHaveLength(1);
  });

  it("decodes the room name from the URL", async () => {
    const client = h.open(await sdkToken({ name: "carol", room: "my room" }), "/rooms/my%20room");
    await withTimeout(client.started, 1000, "start()");
    expect(await client.room.ready).toBe("my room");
    expect(Object.keys(h.server.stats().rooms)).toEqual(["my room"]);
  });

  it("accepts a developmentAuthorization token (no api grant, no version) with full messaging", async () => {
    // Exactly what meshagent-react's developmentAuthorization() builds (that package's
    // CJS build cannot be imported in Node, so the token is made the same way here).
    const token = new ParticipantToken({
      name: "dev",
      projectId: "00000000-0000-0000-0000-000000000001",
      apiKeyId: "00000000-0000-0000-0000-000000000002",
    });
    token.addRoomGrant("test");
    token.addRoleGrant("user");
    const jwt = await token.toJwt({ token: SECRET });
    const client = h.open(jwt);
    await withTimeout(client.started, 1000, "start()");
    await client.room.messaging.enable();
    await client.room.messaging.broadcastMessage({ type: "hello", message: {} });
  });

  it("refuses messaging for a token whose api grant lacks messaging (1001)", async () => {
    const limited = await h.join("limited", { enable: false, api: new ApiScope({ livekit: new LivekitGrant() }) });
    const denied = await roomRefusal(limited.messaging.enable());
    expect(denied.code).toBe(1001);
    expect((await roomRefusal(limited.messaging.broadcastMessage({ type: "x", message: {} }))).code).toBe(1001);
    const noBroadcast = await h.join("nob", {
      api: new ApiScope({ messaging: new MessagingGrant({ broadcast: false }) }),
    });
    expect((await roomRefusal(noBroadcast.messaging.broadcastMessage({ type: "x", message: {} }))).code).toBe(1001);
    const full = await h.join("full", { api: ApiScope.agentDefault() });
    await full.messaging.broadcastMessage({ type: "x", message: {} });
  });
});

describe("messaging", () => {
  it("broadcast reaches other enabled participants once, not the sender nor non-enabled ones", async () => {
    const alice = await h.join("alice");
    const bob = await h.join("bob");
    const quiet = await h.join("quiet", { enable: false });
    const atAlice = collect(alice, "chat");
    const atBob = collect(bob, "chat");
    const atQuiet = collect(quiet);
    const stream = bob.listen()[Symbol.asyncIterator]();
    await alice.messaging.broadcastMessage({ type: "chat", message: { text: "hi" } });
    await waitFor(() => atBob.length === 1, "broadcast at bob");
    const event = atBob[0];
    expect(event).toBeInstanceOf(RoomMessageEvent);
    expect(event.message.type).toBe("chat");
    expect(event.message.message).toEqual({ text: "hi" });
    expect(event.message.fromParticipantId).toBe(alice.localParticipant!.id);
    // room.listen() sees the same message (skip the presence events queued before it).
    let listened: RoomMessageEvent | undefined;
    while (listened?.message.type !== "chat") listened = (await stream.next()).value as RoomMessageEvent;
    expect(listened.message.message).toEqual({ text: "hi" });
    // An echo to the sender would be queued before its own response, so it would be here already.
    expect(atAlice).toHaveLength(0);
    expect(atQuiet).toHaveLength(0);
    await bob.messaging.broadcastMessage({ type: "chat", message: { text: "back" } });
    await waitFor(() => atAlice.length === 1, "broadcast at alice");
    expect(atBob).toHaveLength(1);
  });

  it("direct message with attachment arrives intact", async () => {
    const alice = await h.join("alice");
    const bob = await h.join("bob");
    const atBob = collect(bob, "file");
    const attachment = Uint8Array.from({ length: 700 }, (_, i) => (i * 7) % 256);
    await alice.messaging.sendMessage({
      to: await peer(alice, bob),
      type: "file",
      message: { name: "a.bin" },
      attachment,
    });
    await waitFor(() => atBob.length === 1, "direct message");
    expect(atBob[0].message.fromParticipantId).toBe(alice.localParticipant!.id);
    expect(atBob[0].message.message).toEqual({ name: "a.bin" });
    expect(Array.from(atBob[0].message.attachment!)).toEqual(Array.from(attachment));
  });

  it("messages over 10 KB survive chunking in both directions", async () => {
    const alice = await h.join("alice");
    const bob = await h.join("bob");
    const atBob = collect(bob, "big");
    const atAlice = collect(alice, "big");
    const text = "x".repeat(12_000) + "é✓".repeat(1000);
    const attachment = Uint8Array.from({ length: 15_000 }, (_, i) => i % 251);
    await alice.messaging.sendMessage({ to: await peer(alice, bob), type: "big", message: { text }, attachment });
    await bob.messaging.broadcastMessage({ type: "big", message: { text: text + "!" } });
    await waitFor(() => atBob.length === 1 && atAlice.length === 1, "big messages");
    expect(atBob[0].message.message.text).toBe(text);
    expect(Array.from(atBob[0].message.attachment!)).toEqual(Array.from(attachment));
    expect(atAlice[0].message.message.text).toBe(text + "!");
  });

  it("send to an unknown participant rejects with the exact text and code 1003", async () => {
    const alice = await h.join("alice");
    const error = await roomRefusal(
      alice.invoke({
        toolkit: "messaging",
        tool: "send",
        input: { to_participant_id: "nope", type: "x", message_json: "{}" },
      }),
    );
    expect(error.message).toBe("the participant was not found");
    expect(error.code).toBe(1003);
  });

  it("sending to a participant that left resolves silently and drops it", async () => {
    const alice = await h.join("alice");
    const bob = await h.join("bob");
    const bobAtAlice = await peer(alice, bob);
    h.dispose(bob);
    alice.messaging.sendMessageNowait({ to: bobAtAlice, type: "x", message: {} });
    await alice.messaging.sendMessage({ to: bobAtAlice, type: "x", message: {}, ignoreOffline: true });
    await waitFor(() => alice.messaging.remoteParticipants.length === 0, "bob dropped at alice");
  });

  it("setAttribute propagates to other enabled participants", async () => {
    const alice = await h.join("alice");
    const bob = await h.join("bob");
    const updates: unknown[] = [];
    bob.messaging.on("participant_attributes_updated", (e: unknown) => updates.push(e));
    await alice.localParticipant!.setAttribute("status", "busy");
    await waitFor(() => remote(bob, alice)?.getAttribute("status") === "busy", "attribute at bob");
    expect(updates.length).toBeGreaterThanOrEqual(1);
    // Late joiners get current attributes in the snapshot.
    const carol = await h.join("carol");
    expect(remote(carol, alice)?.getAttribute("status")).toBe("busy");
  });

  it("disable removes the participant for others and makes it unreachable", async () => {
    const alice = await h.join("alice");
    const bob = await h.join("bob");
    const removed: unknown[] = [];
    bob.messaging.on("participant_removed", (e: unknown) => removed.push(e));
    const aliceId = alice.localParticipant!.id;
    await alice.messaging.disable();
    expect(alice.messaging.isEnabled).toBe(false);
    await waitFor(() => removed.length === 1 && bob.messaging.getParticipant(aliceId) === null, "removal at bob");
    const error = await roomRefusal(
      bob.invoke({
        toolkit: "messaging",
        tool: "send",
        input: { to_participant_id: aliceId, type: "x", message_json: "{}" },
      }),
    );
    expect(error.message).toBe("the participant was not found");
  });

  it("a disconnect removes the participant at the others and from the stats", async () => {
    const alice = await h.join("alice");
    const bob = await h.join("bob");
    const removed: unknown[] = [];
    alice.messaging.on("participant_removed", (e: unknown) => removed.push(e));
    const bobId = bob.localParticipant!.id;
    h.dispose(bob);
    await waitFor(() => removed.length === 1, "participant_removed at alice");
    expect(alice.messaging.getParticipant(bobId)).toBeNull();
    expect(alice.messaging.remoteParticipants).toHaveLength(0);
    expect(h.server.stats().rooms.test.map((p) => p.name)).toEqual(["alice"]);
  });

  it("rooms are isolated", async () => {
    const alice = await h.join("alice");
    const bob = await h.join("bob");
    const other = await h.join("olga", { room: "other" });
    const atOther = collect(other);
    await alice.messaging.broadcastMessage({ type: "chat", message: {} });
    await alice.localParticipant!.setAttribute("status", "away");
    await bob.messaging.disable();
    await bob.messaging.enable();
    await alice.messaging.broadcastMessage({ type: "chat", message: {} });
    expect(other.messaging.remoteParticipants).toHaveLength(0);
    expect(alice.messaging.remoteParticipants.map((p) => p.getAttribute("name"))).toEqual(["bob"]);
    expect(atOther.filter((e) => e.message.type !== "messaging.enabled")).toHaveLength(0);
    expect(Object.keys(h.server.stats().rooms).sort()).toEqual(["other", "test"]);
  });

  it("unknown toolkits, tools and request types are rejected, never left pending", async () => {
    const alice = await h.join("alice");
    const toolkit = await roomRefusal(alice.invoke({ toolkit: "nope", tool: "x", input: {} }));
    expect(toolkit.message).toBe("toolkit not found: nope");
    expect(toolkit.code).toBe(1003);
    expect((await roomRefusal(alice.invoke({ toolkit: "messaging", tool: "nope", input: {} }))).message).toBe(
      "tool not found: messaging.nope",
    );
    const request = await roomRefusal(alice.sendRequest("agent.ask", {}));
    expect(request.message).toBe("unsupported request: agent.ask");
    expect(request.code).toBe(1003);
    // Participant toolkits: toolkits.test.ts.
    expect(await alice.listToolkits()).toEqual([]);
    const badArgs = await roomRefusal(alice.invoke({ toolkit: "messaging", tool: "broadcast", input: { type: "x" } }));
    expect(badArgs.code).toBe(1002);
  });

  it("server shutdown after ready reaches the client as onDone", async () => {
    const client = h.open(await sdkToken({ name: "alice" }));
    await withTimeout(client.started, 1000, "start()");
    await h.server.close();
    await waitFor(() => client.done(), "onDone");
  });
});
