// Unit tests of the wire format, cross-checked against the SDK's own packMessage/unpackMessage.

import { describe, expect, it } from "vitest";
import { packMessage as sdkPack, unpackMessage as sdkUnpack } from "@meshagent/meshagent";
import { MessageReassembler, encodeMessage, packMessage, unpackMessage, type ReassemblyEvent } from "./framing";
import { rawDataPacket, rawHeaderPacket } from "./test-helpers";

const bytes = (n: number, seed = 1): Uint8Array => Uint8Array.from({ length: n }, (_, i) => (i * 31 + seed) % 256);

const feedAll = (r: MessageReassembler, frames: Uint8Array[]): ReassemblyEvent[] => frames.flatMap((f) => r.feed(f));

describe("encodeMessage + MessageReassembler", () => {
  it("round-trips empty, exact-multiple and ragged payloads", () => {
    for (const size of [0, 1, 1023, 1024, 1025, 4096, 10_000]) {
      const message = { id: 2 ** 40 + size, type: "messaging.send", data: bytes(size) };
      const frames = encodeMessage(message);
      expect(frames).toHaveLength(1 + Math.ceil(size / 1024));
      expect(frames.slice(1).every((f) => f.length <= 12 + 1024)).toBe(true);
      expect(feedAll(new MessageReassembler(), frames)).toEqual([{ kind: "message", message }]);
    }
  });

  it("refuses a header that declares more than the limit, then skips its packets", () => {
    const r = new MessageReassembler(4096);
    const [event] = r.feed(rawHeaderPacket(7, 5));
    expect(event).toMatchObject({
      kind: "error",
      error: { code: "message_too_large", id: 7, type: "room.invoke_tool", fatal: false },
    });
    expect(r.feed(rawDataPacket(7, 1, bytes(1024)))).toEqual([]);
    // The next header starts cleanly.
    expect(feedAll(r, encodeMessage({ id: 8, type: "t", data: bytes(10) }))).toHaveLength(1);
  });

  it("reports out-of-order indexes, foreign ids and oversized chunks against the open message", () => {
    const cases = [rawDataPacket(1, 2, bytes(10)), rawDataPacket(2, 1, bytes(10)), rawDataPacket(1, 1, bytes(1025))];
    for (const bad of cases) {
      const r = new MessageReassembler();
      r.feed(rawHeaderPacket(1, 3));
      expect(r.feed(bad)).toEqual([
        {
          kind: "error",
          error: expect.objectContaining({ code: "out_of_order", id: 1, type: "room.invoke_tool", fatal: false }),
        },
      ]);
    }
  });

  it("reports an abandoned message when a new header arrives, and still delivers the new one", () => {
    const r = new MessageReassembler();
    r.feed(rawHeaderPacket(1, 2));
    r.feed(rawDataPacket(1, 1, bytes(1024)));
    const events = r.feed(rawHeaderPacket(2, 0, "x"));
    expect(events[0]).toMatchObject({ kind: "error", error: { code: "incomplete_message", id: 1 } });
    expect(events[1]).toMatchObject({ kind: "message", message: { id: 2, type: "x" } });
  });

  it("flags stray data packets, short frames and non-UTF-8 types", () => {
    const r = new MessageReassembler();
    expect(r.feed(rawDataPacket(3, 1, bytes(5)))[0]).toMatchObject({
      error: { code: "unexpected_packet", fatal: false },
    });
    expect(r.feed(new Uint8Array(5))[0]).toMatchObject({ error: { code: "malformed_packet", fatal: true } });
    const shortHeader = new Uint8Array(13);
    expect(r.feed(shortHeader)[0]).toMatchObject({ error: { code: "malformed_packet", fatal: true } });
    const badType = rawHeaderPacket(4, 0, "ab");
    badType[16] = 0xff;
    expect(r.feed(badType)[0]).toMatchObject({ error: { code: "invalid_type", fatal: true } });
    expect(r.feed(rawHeaderPacket(5, 0, ""))[0]).toMatchObject({
      error: { code: "invalid_type", id: 5, fatal: false },
    });
    expect(r.feed(rawHeaderPacket(6, 0, "t".repeat(257)))[0]).toMatchObject({
      error: { code: "invalid_type", fatal: false },
    });
  });
});

describe("packMessage / unpackMessage", () => {
  it("is byte-compatible with the SDK in both directions", () => {
    const header = { type: "json", json: { text: "héllo ✓", n: [1, 2] } };
    const payload = bytes(300);
    expect(Array.from(packMessage(header, payload))).toEqual(Array.from(sdkPack(header, payload)));
    const [sdkHeader, sdkPayload] = sdkUnpack(packMessage(header, payload));
    expect(sdkHeader).toEqual(header);
    expect(Array.from(sdkPayload)).toEqual(Array.from(payload));
    const ours = unpackMessage(sdkPack(header));
    expect(ours).toEqual({ ok: true, header, payload: new Uint8Array(0) });
  });

  it("rejects short bodies, impossible lengths, bad JSON and non-objects", () => {
    const withLength = (len: number, json: string): Uint8Array => {
      const text = new TextEncoder().encode(json);
      const body = new Uint8Array(8 + text.length);
      new DataView(body.buffer).setUint32(4, len);
      body.set(text, 8);
      return body;
    };
    expect(unpackMessage(new Uint8Array(3)).ok).toBe(false);
    expect(unpackMessage(withLength(100, "{}")).ok).toBe(false);
    expect(unpackMessage(withLength(3, "{x}")).ok).toBe(false);
    expect(unpackMessage(withLength(2, "[]")).ok).toBe(false);
    expect(unpackMessage(withLength(4, "null")).ok).toBe(false);
    const huge = withLength(0, "{}");
    new DataView(huge.buffer).setUint32(0, 1);
    expect(unpackMessage(huge).ok).toBe(false);
  });
});
