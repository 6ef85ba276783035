// A participant with a valid token, driving the real SDK, tries to spoof or
// bloat the room: server-owned attributes (D4), reserved presence events (D5),
// oversized attributes (D6). Honest clients must see none of it.

import { describe, expect, it } from "vitest";
import { RoomServerException, type RoomClient, type RoomMessageEvent } from "@meshagent/meshagent";
import { useHarness, sdkToken, waitFor, withTimeout, type RawClient } from "./test-helpers";
import { ATTRIBUTE_LIMITS } from "./room-limits";

const h = useHarness();

/** What `viewer` believes about everyone else: id -> name and role. */
function roster(viewer: RoomClient): Record<string, { name: unknown; role: string }> {
  return Object.fromEntries(
    viewer.messaging.remoteParticipants.map((p) => [p.id, { name: p.getAttribute("name"), role: p.role }]),
  );
}

/** A message only the honest side sends; once it arrives, anything sent before it has too. */
async function fence(from: RoomClient, to: RoomClient[], tag: string): Promise<void> {
  const seen = to.map(() => false);
  to.forEach((room, i) =>
    room.messaging.on("message", (e: RoomMessageEvent) => {
      if (e.message.type === "fence" && e.message.message.tag === tag) seen[i] = true;
    }),
  );
  await from.messaging.broadcastMessage({ type: "fence", message: { tag } });
  await waitFor(() => seen.every(Boolean), `fence ${tag}`);
}

async function setAttributesRaw(raw: RawClient, attributes: Record<string, unknown>) {
  const id = raw.send("set_attributes", attributes);
  await new Promise((resolve) => setTimeout(resolve, 50));
  const answer = raw.received.find((m) => m.type === "__response__" && m.id === id);
  return answer ? raw.headerOf(answer) : null;
}

describe("server-owned attributes (D4)", () => {
  it("a participant cannot rename itself or give itself a role; peers keep the token's identity", async () => {
    const alice = await h.join("alice");
    const bob = await h.join("bob");
    const mallory = await h.join("mallory");
    const malloryId = mallory.localParticipant!.id;
    await waitFor(() => alice.messaging.getParticipant(malloryId) !== null, "mallory at alice");

    await mallory.localParticipant!.setAttribute("name", "Victim");
    await mallory.localParticipant!.setAttribute("name", "x".repeat(10_000));
    await mallory.localParticipant!.setAttribute("name", { toString: 1 });
    await mallory.localParticipant!.setAttribute("role", "admin");
    await mallory.localParticipant!.setAttribute("status", "online"); // allowed: not server-owned
    await fence(mallory, [alice, bob], "after-rename");

    for (const viewer of [alice, bob]) {
      const seen = viewer.messaging.getParticipant(malloryId)!;
      expect(seen.getAttribute("name")).toBe("mallory");
      expect(seen.getAttribute("role")).toBeUndefined();
      expect(seen.role).toBe("user");
      expect(seen.getAttribute("status")).toBe("online");
    }
    expect(h.server.stats().rooms.test.find((p) => p.id === malloryId)?.name).toBe("mallory");

    // A newcomer's snapshot carries the token name too.
    const carol = await h.join("carol");
    expect(carol.messaging.getParticipant(malloryId)?.getAttribute("name")).toBe("mallory");
    expect(carol.messaging.getParticipant(malloryId)?.getAttribute("role")).toBeUndefined();
  });

  it("answers a refused set_attributes with a clear error, applies the allowed keys, stays silent on the join echo", async () => {
    const watcher = await h.join("watcher");
    const raw = await h.raw(await sdkToken({ name: "raw" }));
    raw.send("room.invoke_tool", { toolkit: "messaging", tool: "enable", arguments: { type: "json", json: {} } });
    await waitFor(() => watcher.messaging.remoteParticipants.length === 1, "raw at watcher");
    const rawId = watcher.messaging.remoteParticipants[0].id;

    // What 0.35.8 sends right after joining: accepted without any answer.
    expect(await setAttributesRaw(raw, { name: "raw" })).toBeNull();
    expect(await setAttributesRaw(raw, { name: "Victim", mood: "calm", __proto__x: 1 })).toEqual({
      type: "error",
      code: 1001,
      text: 'set_attributes refused: attribute "name" is set by the room server and cannot be changed',
    });
    expect(await setAttributesRaw(raw, JSON.parse('{"__proto__": {"polluted": true}}'))).toMatchObject({
      text: 'set_attributes refused: attribute key "__proto__" is not allowed',
    });
    await waitFor(() => watcher.messaging.getParticipant(rawId)?.getAttribute("mood") === "calm", "mood at watcher");
    const seen = watcher.messaging.getParticipant(rawId)!;
    expect(seen.getAttribute("name")).toBe("raw");
    expect(seen.getAttribute("__proto__x")).toBe(1);
    expect(Object.getPrototypeOf((seen as unknown as { _attributes: object })._attributes)).toBe(Object.prototype);
    expect(raw.open).toBe(true);
  });
});

describe("reserved message types (D5)", () => {
  it("a hostile client's fake presence events are refused and never reach anyone", async () => {
    const alice = await h.join("alice");
    const bob = await h.join("bob");
    const mallory = await h.join("mallory");
    const [aliceId, bobId, malloryId] = [alice, bob, mallory].map((r) => r.localParticipant!.id);
    await waitFor(() => alice.messaging.remoteParticipants.length === 2, "alice sees two");
    await waitFor(() => bob.messaging.remoteParticipants.length === 2, "bob sees two");
    const before = { alice: roster(alice), bob: roster(bob) };

    const received: string[] = [];
    for (const room of [alice, bob])
      room.messaging.on("message", (e: RoomMessageEvent) => received.push(e.message.type));

    const fake = { id: "fake-admin", role: "admin", attributes: { name: "Admin" } };
    const attacks: Array<{ type: string; message: Record<string, unknown> }> = [
      { type: "participant.enabled", message: fake },
      { type: "participant.disabled", message: { id: bobId } },
      { type: "participant.disabled", message: { id: malloryId } },
      { type: "participant.attributes", message: { attributes: { name: "Victim" } } },
      { type: "messaging.enabled", message: { participants: [fake] } },
      { type: "messaging.anything", message: {} },
      { type: "participant.custom", message: {} },
    ];
    const bobAtMallory = mallory.messaging.getParticipant(bobId)!;
    for (const attack of attacks) {
      for (const send of [
        () => mallory.messaging.broadcastMessage(attack),
        () => mallory.messaging.sendMessage({ to: bobAtMallory, ...attack }),
      ]) {
        const error = await withTimeout(
          send().then(
            () => null,
            (e: unknown) => e,
          ),
          2000,
          attack.type,
        );
        expect(error, attack.type).toBeInstanceOf(RoomServerException);
        expect((error as RoomServerException).message).toBe(
          `permission denied: message type "${attack.type}" is reserved for the room server (participant.*, messaging.*)`,
        );
        expect((error as RoomServerException).code).toBe(1001);
      }
    }
    await fence(mallory, [alice, bob], "after-attack");

    expect(received.filter((t) => t !== "fence")).toEqual([]);
    expect(roster(alice)).toEqual(before.alice);
    expect(roster(bob)).toEqual(before.bob);
    expect(Object.keys(roster(alice)).sort()).toEqual([bobId, malloryId].sort());
    expect(roster(bob)[malloryId]).toEqual({ name: "mallory", role: "user" });
    expect(aliceId).not.toBe(bobId);
    // Ordinary types still flow, including ones that merely contain a reserved word.
    await mallory.messaging.broadcastMessage({ type: "chat.participant.enabled", message: { text: "hi" } });
    await waitFor(() => received.includes("chat.participant.enabled"), "ordinary type delivered");
  });
});

describe("attribute limits (D6)", () => {
  it("caps the number of keys, the size of a value and the total per participant", async () => {
    const watcher = await h.join("watcher");
    const raw = await h.raw(await sdkToken({ name: "hoarder" }));
    raw.send("room.invoke_tool", { toolkit: "messaging", tool: "enable", arguments: { type: "json", json: {} } });
    await waitFor(() => watcher.messaging.remoteParticipants.length === 1, "hoarder at watcher");
    const seen = () => watcher.messaging.remoteParticipants[0];

    const tooBig = "v".repeat(ATTRIBUTE_LIMITS.maxValueBytes);
    expect(await setAttributesRaw(raw, { big: tooBig })).toEqual({
      type: "error",
      code: 1001,
      text: `set_attributes refused: attribute "big" is larger than ${ATTRIBUTE_LIMITS.maxValueBytes} bytes`,
    });
    expect(await setAttributesRaw(raw, { ["k".repeat(300)]: 1 })).toMatchObject({
      text: `set_attributes refused: attribute key longer than ${ATTRIBUTE_LIMITS.maxKeyBytes} bytes`,
    });

    // 63 small keys + name = 64: fits. One more does not, and the whole delta is refused.
    const many = Object.fromEntries(Array.from({ length: ATTRIBUTE_LIMITS.maxKeys - 1 }, (_, i) => [`k${i}`, i]));
    expect(await setAttributesRaw(raw, many)).toBeNull();
    expect(await setAttributesRaw(raw, { extra: 1, k0: "changed" })).toEqual({
      type: "error",
      code: 1001,
      text: `set_attributes refused: a participant may hold at most ${ATTRIBUTE_LIMITS.maxKeys} attributes`,
    });
    // Replacing existing keys is fine; growing the total past the cap is not.
    const fourteenK = "w".repeat(14 * 1024);
    for (const key of ["k1", "k2", "k3", "k4"]) expect(await setAttributesRaw(raw, { [key]: fourteenK })).toBeNull();
    expect(await setAttributesRaw(raw, { k5: fourteenK })).toMatchObject({
      text: `set_attributes refused: a participant's attributes may total at most ${ATTRIBUTE_LIMITS.maxTotalBytes} bytes`,
    });
    await setAttributesRaw(raw, { done: true }); // replaces nothing, adds a key: over the count cap, refused
    await setAttributesRaw(raw, { k6: "last" });
    await waitFor(() => seen().getAttribute("k6") === "last", "last accepted change");
    expect(seen().getAttribute("k0")).toBe(0);
    expect(seen().getAttribute("extra")).toBeUndefined();
    expect(seen().getAttribute("k4")).toBe(fourteenK);
    expect(seen().getAttribute("k5")).toBe(5);
    expect(seen().getAttribute("big")).toBeUndefined();
    expect(raw.open).toBe(true);
  });

  it("a key set to null is removed and no longer counts toward the key cap (19 M7)", async () => {
    const watcher = await h.join("watcher");
    const agent = await h.join("agent");
    const agentId = agent.localParticipant!.id;
    await waitFor(() => watcher.messaging.getParticipant(agentId) !== null, "agent at watcher");
    const seen = () => watcher.messaging.getParticipant(agentId)!;
    // What the legacy agent does per thread: set a status key, then "clear" it with null.
    for (let round = 0; round < 3; round++) {
      const keys = Array.from({ length: ATTRIBUTE_LIMITS.maxKeys - 1 }, (_, i) => `thread-${round}-${i}`);
      for (const key of keys) await agent.localParticipant!.setAttribute(key, "thinking");
      for (const key of keys) await agent.localParticipant!.setAttribute(key, null);
    }
    await agent.localParticipant!.setAttribute("status", "still accepted");
    await waitFor(() => seen().getAttribute("status") === "still accepted", "the last status at the watcher");
    expect(seen().getAttribute("thread-2-0")).toBeNull();
    // A newcomer gets the participant without the removed keys.
    const late = await h.join("late");
    await waitFor(() => late.messaging.getParticipant(agentId) !== null, "agent at the newcomer");
    const atLate = late.messaging.getParticipant(agentId)!;
    expect(atLate.getAttribute("status")).toBe("still accepted");
    expect(atLate.getAttribute("thread-0-0")).toBeUndefined();
    expect(h.server.usage().attributeBytes).toBeLessThan(1000);
  });

  it("100 x 900 KB attributes do not grow the room and newcomers still get in", async () => {
    const mallory = await h.join("mallory");
    const watcher = await h.join("watcher");
    const malloryId = mallory.localParticipant!.id;
    const rssBefore = process.memoryUsage().rss;
    const blob = "x".repeat(900 * 1000);
    // A few through the SDK, the bulk through a raw socket with the same wire bytes
    // (the SDK's pure-JS TextEncoder needs ~0.4 s per 900 KB here).
    for (let i = 0; i < 3; i++) await mallory.localParticipant!.setAttribute(`sdk${i}`, blob);
    const raw = await h.raw(await sdkToken({ name: "mallory" }));
    raw.send("room.invoke_tool", { toolkit: "messaging", tool: "enable", arguments: { type: "json", json: {} } });
    for (let i = 0; i < 100; i++) raw.send("set_attributes", { [`blob${i}`]: blob });
    raw.send("set_attributes", { status: "after the blobs" });
    await mallory.localParticipant!.setAttribute("status", "after the blobs");
    await waitFor(
      () =>
        watcher.messaging.remoteParticipants.filter((p) => p.getAttribute("status") === "after the blobs").length === 2,
      "status after the blobs",
      10_000,
    );
    const refusals = raw.received
      .filter((m) => m.type === "__response__" && m.id !== 0)
      .map((m) => raw.headerOf(m).text);
    expect(refusals).toHaveLength(100);
    for (const text of refusals)
      expect(text).toMatch(/^set_attributes refused: attribute "blob\d+" is larger than 16384 bytes$/);

    const newcomers = await Promise.all(["n1", "n2", "n3"].map((name) => h.join(name)));
    for (const newcomer of newcomers) {
      const seen = newcomer.messaging.getParticipant(malloryId)!;
      expect(seen.getAttribute("name")).toBe("mallory");
      expect(seen.getAttribute("sdk0")).toBeUndefined();
      expect(seen.getAttribute("status")).toBe("after the blobs");
    }
    expect(watcher.messaging.remoteParticipants.some((p) => p.getAttribute("blob99") !== undefined)).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(h.server.stats().rooms.test).toHaveLength(6); // nobody was closed as a slow consumer
    expect(raw.open).toBe(true);
    const { attributeBytes } = h.server.usage();
    const grownMb = (process.memoryUsage().rss - rssBefore) / 2 ** 20;
    console.info(
      `D6: after 103 x 900 KB set_attributes the room holds ${attributeBytes} bytes of attributes ` +
        `(6 participants); test-process RSS (clients + server + garbage) grew ${grownMb.toFixed(1)} MB`,
    );
    expect(attributeBytes).toBeLessThan(6 * 200);
  }, 30_000);
});
