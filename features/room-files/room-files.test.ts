import * as z from "zod/mini";
import { describe, expect, it } from "vitest";
import { attachmentList, roomAttachment } from "@/features/room-files/attachment";
import { safeFileName, uploadPath } from "@/features/room-files/file-names";
import { formatSize } from "@/features/room-files/format-size";
import { mayPreview, sniffImageType } from "@/features/room-files/image-sniff";
import { MAX_ATTACHMENTS } from "@/features/room-files/limits";
import { roomChatMessage } from "@/features/room-chat/room-chat-message";
import { prng } from "@/tooling/testing/prng";

describe("safeFileName", () => {
  it.each([
    ["photo.png", "photo.png"],
    ["../../etc/passwd", "passwd"],
    ["C:\\Users\\me\\report final.pdf", "report final.pdf"],
    ["..", "file"],
    [".env", "env"],
    ["", "file"],
    ["   ", "file"],
    ["a\u0000b\u001fc.txt", "abc.txt"],
    ["evil\u202egnp.exe", "evilgnp.exe"],
    ['a<b>c:"d|e?f*.txt', "a_b_c__d_e_f_.txt"],
    ["tab\tand\nnewline.md", "tabandnewline.md"],
    ["many    spaces.txt", "many spaces.txt"],
    // Zero-width and other invisible characters go, as in display names (19 L9); emoji joiners stay.
    ["in\u200Bvoice\u2060.pdf", "invoice.pdf"],
    ["a\uFEFFb\u00ADc\u180E.txt", "abc.txt"],
    ["\u200B\u2060", "file"],
    ["👩\u200D👩\u200D👧.png", "👩\u200D👩\u200D👧.png"],
  ])("%j -> %j", (input, expected) => {
    expect(safeFileName(input)).toBe(expected);
  });

  it("caps the length at 120 characters and keeps the extension", () => {
    const name = safeFileName(`${"x".repeat(300)}.jpeg`);
    expect(Array.from(name)).toHaveLength(120);
    expect(name.endsWith(".jpeg")).toBe(true);
    expect(Array.from(safeFileName("😀".repeat(200)))).toHaveLength(120);
  });

  it("gives upload paths under the room's files folder, one folder per upload", () => {
    expect(uploadPath("../a b.png", "id1")).toBe("files/uploads/id1/a b.png");
    expect(uploadPath("x.txt")).not.toBe(uploadPath("x.txt"));
  });
});

describe("formatSize", () => {
  it.each([
    [0, "0 B"],
    [1, "1 B"],
    [1023, "1023 B"],
    [1024, "1 KB"],
    [1536, "1.5 KB"],
    [10 * 1024 + 400, "10 KB"],
    [25 * 1024 * 1024, "25 MB"],
    [5.25 * 1024 ** 3, "5.3 GB"],
    [3 * 1024 ** 5, "3145728 GB"],
    [-1, "unknown size"],
    [Number.NaN, "unknown size"],
  ])("%d -> %s", (bytes, expected) => {
    expect(formatSize(bytes)).toBe(expected);
  });
});

describe("roomAttachment", () => {
  const valid = { path: "files/uploads/1/cat.png", name: "cat.png", size: 12, mimeType: "image/png" };

  it("accepts a file under files/ and normalises the name and type", () => {
    expect(roomAttachment.parse(valid)).toEqual(valid);
    expect(roomAttachment.parse({ ...valid, name: "../x\u202e.png", mimeType: "IMAGE/PNG" })).toEqual({
      ...valid,
      name: "x.png",
    });
    expect(roomAttachment.parse({ ...valid, name: 5 }).name).toBe("cat.png");
    expect(roomAttachment.parse({ ...valid, mimeType: "text/html; charset=utf-8" }).mimeType).toBe(
      "application/octet-stream",
    );
  });

  it.each([
    { ...valid, path: "/files/uploads/1/cat.png" },
    { ...valid, path: "files/../secrets.json" },
    { ...valid, path: "files/uploads//cat.png" },
    { ...valid, path: "files/uploads/./cat.png" },
    { ...valid, path: "other/cat.png" },
    { ...valid, path: "files\\cat.png" },
    { ...valid, path: "files/a\u0000.png" },
    { ...valid, path: `files/${"a".repeat(1100)}` },
    { ...valid, size: -1 },
    { ...valid, size: 1.5 },
    { ...valid, size: "12" },
    { ...valid, size: Number.POSITIVE_INFINITY },
    { ...valid, path: undefined },
  ])("refuses %j", (input) => {
    expect(roomAttachment.safeParse(input).success).toBe(false);
  });
});

describe("chat message attachments", () => {
  const parse = (payload: unknown) => z.safeParse(roomChatMessage.schema, payload);
  const file = (n: number) => ({ path: `files/uploads/${n}/f.txt`, name: "f.txt", size: n, mimeType: "text/plain" });

  it("keeps valid attachments, drops malformed ones and repeats, caps the count", () => {
    const attachments = [file(1), { path: "../x" }, file(1), null, file(2), file(3), file(4), file(5)];
    const parsed = parse({ text: "see", attachments });
    expect(parsed.data?.attachments?.map((a) => a.size)).toEqual([1, 2, 3, 4].slice(0, MAX_ATTACHMENTS));
  });

  it("allows a message of attachments only, but not an empty one", () => {
    expect(parse({ text: "", attachments: [file(1)] }).success).toBe(true);
    expect(parse({ text: " ", attachments: [] }).success).toBe(false);
    expect(parse({ text: "", attachments: [{ path: "nope" }] }).success).toBe(false);
    expect(parse({ text: "hi", attachments: "nope" }).data).toEqual({ text: "hi" });
  });

  it("survives a seeded fuzz of malformed attachment payloads: never throws, only valid attachments come out", () => {
    const random = prng(42);
    const pick = <T>(items: T[]): T => items[Math.floor(random() * items.length)];
    const junk = (): unknown =>
      pick<() => unknown>([
        () => null,
        () => undefined,
        () => random() * 1e12 - 1e6,
        () => "files/" + "a/".repeat(Math.floor(random() * 5)) + pick(["..", ".", "x.png", "", "\u0000"]),
        () => pick(["image/png", "text/html", "IMAGE/SVG+XML", "", "a/b/c", "x".repeat(300)]),
        () => [junk(), junk()],
        () => ({ toString: 1, valueOf: () => 3 }),
        () => Object.create(null),
        () => ({ path: junk(), name: junk(), size: junk(), mimeType: junk() }),
        () => ({ ...file(Math.floor(random() * 100)), [pick(["path", "size", "mimeType", "name"])]: junk() }),
      ])();
    let kept = 0;
    for (let i = 0; i < 1500; i++) {
      const payload = { text: pick(["", "hi", junk()]), attachments: pick([junk(), Array.from({ length: 6 }, junk)]) };
      let parsed: ReturnType<typeof parse> | undefined;
      expect(() => (parsed = parse(payload))).not.toThrow();
      for (const attachment of parsed?.data?.attachments ?? []) {
        kept++;
        expect(attachment.path.startsWith("files/")).toBe(true);
        expect(attachment.path.split("/")).not.toContain("..");
        expect(Number.isSafeInteger(attachment.size) && attachment.size >= 0).toBe(true);
        expect(attachment.mimeType).toMatch(/^[a-z0-9][a-z0-9.+-]*\/[a-z0-9][a-z0-9.+-]*$/);
        expect(attachment.name).toBe(safeFileName(attachment.name));
      }
    }
    // The fuzz must also exercise the accepting path, or it proves nothing.
    expect(kept).toBeGreaterThan(50);
  });

  it("is what attachmentList yields for a bare list", () => {
    expect(attachmentList.parse(undefined)).toBeUndefined();
    expect(attachmentList.parse([file(7)])).toHaveLength(1);
  });
});

describe("sniffImageType", () => {
  const bytes = (...values: number[]) => new Uint8Array(values);
  it.each([
    [bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0), "image/png"],
    [bytes(0xff, 0xd8, 0xff, 0xe0), "image/jpeg"],
    [new TextEncoder().encode("GIF89a..."), "image/gif"],
    [new TextEncoder().encode("RIFF\0\0\0\0WEBPVP8 "), "image/webp"],
    [new TextEncoder().encode("RIFF\0\0\0\0WAVEfmt "), null],
    [new TextEncoder().encode("<svg onload=alert(1)>"), null],
    [new TextEncoder().encode("<!doctype html><script>"), null],
    [bytes(0x89, 0x50, 0x4e), null],
    [bytes(), null],
  ])("%#: %s", (input, expected) => {
    expect(sniffImageType(input)).toBe(expected);
  });

  it("previews only PNG, JPEG, GIF and WebP by declared type", () => {
    expect(["image/png", "image/jpeg", "image/gif", "image/webp"].every(mayPreview)).toBe(true);
    expect(["image/svg+xml", "text/html", "image/bmp", "application/octet-stream"].some(mayPreview)).toBe(false);
  });
});
