// storage.* with the real SDK client against the dev room: round trips, the
// plain tools, events, refusals, download links and concurrent uploads.

import { createHash, randomBytes } from "node:crypto";
import { promises as fs } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  ApiScope,
  FileDeletedEvent,
  FileUpdatedEvent,
  type RoomEvent,
  StorageGrant,
  StoragePathGrant,
  type RoomClient,
} from "@meshagent/meshagent";
import { useHarness, withTimeout, waitFor, roomRefusal } from "./test-helpers";

const h = useHarness({ start: false, dataDir: "dev-room-storage-" });

const sha = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

/** Every regular file under the room data folder, relative to it. */
async function filesOnDisk(): Promise<string[]> {
  const out: string[] = [];
  const walk = async (dir: string, rel: string): Promise<void> => {
    for (const entry of await fs.readdir(dir, { withFileTypes: true }).catch(() => [])) {
      const next = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) await walk(path.join(dir, entry.name), next);
      else out.push(next);
    }
  };
  await walk(h.dataDir, "");
  return out;
}

describe("upload and download", () => {
  it("round-trips 0 B, 1 B, 64 KiB and 5 MiB with equal sha256, name and mime type", async () => {
    await h.start();
    const alice = await h.join("alice", { enable: false });
    const bob = await h.join("bob", { enable: false });
    for (const size of [0, 1, 64 * 1024, 5 * 1024 * 1024]) {
      const bytes = new Uint8Array(randomBytes(size));
      const file = `uploads/file-${size}.bin`;
      await withTimeout(alice.storage.upload(file, bytes), 10_000, `upload ${size}`);
      const got = await withTimeout(bob.storage.download(file), 10_000, `download ${size}`);
      expect(got.data.length).toBe(size);
      expect(sha(got.data)).toBe(sha(bytes));
      expect(got.name).toBe(`file-${size}.bin`);
      expect(got.mimeType).toBe("application/octet-stream");
    }
  });

  it("streams an upload of unknown size and reports image types by extension", async () => {
    await h.start();
    const alice = await h.join("alice", { enable: false });
    const parts = [randomBytes(1000), randomBytes(70_000), randomBytes(5)];
    async function* chunks() {
      for (const p of parts) yield new Uint8Array(p);
    }
    await alice.storage.uploadStream("pics/a.png", chunks());
    const got = await alice.storage.download("pics/a.png");
    expect(sha(got.data)).toBe(sha(Buffer.concat(parts)));
    expect(got.mimeType).toBe("image/png");
  });

  it("refuses to replace a file unless overwrite is set", async () => {
    await h.start();
    const alice = await h.join("alice", { enable: false });
    await alice.storage.upload("a.txt", new TextEncoder().encode("one"));
    const error = await roomRefusal(alice.storage.upload("a.txt", new TextEncoder().encode("two")));
    expect(error.message).toMatch(/file already exists: a\.txt/);
    await alice.storage.upload("a.txt", new TextEncoder().encode("two"), { overwrite: true });
    expect(new TextDecoder().decode((await alice.storage.download("a.txt")).data)).toBe("two");
  });
});

describe("exists, stat, list, delete and events", () => {
  it("answers the plain tools and tells every participant about updates and deletes", async () => {
    await h.start();
    const alice = await h.join("alice", { enable: false });
    const bob = await h.join("bob", { enable: false });
    const updated: FileUpdatedEvent[] = [];
    const deleted: FileDeletedEvent[] = [];
    bob.storage.on("file.updated", (e: RoomEvent) => updated.push(e as FileUpdatedEvent));
    bob.storage.on("file.deleted", (e: RoomEvent) => deleted.push(e as FileDeletedEvent));
    const aliceUpdates: FileUpdatedEvent[] = [];
    alice.storage.on("file.updated", (e: RoomEvent) => aliceUpdates.push(e as FileUpdatedEvent));

    expect(await bob.storage.exists("docs/readme.md")).toBe(false);
    expect(await bob.storage.stat("docs/readme.md")).toBeNull();
    expect(await bob.storage.list("docs")).toEqual([]);

    const before = Date.now() - 2000;
    await alice.storage.upload("docs/readme.md", new TextEncoder().encode("# hi"));
    await alice.storage.upload("docs/sub/deep.txt", new TextEncoder().encode("deep"));
    await waitFor(() => updated.length === 2, "two storage.file.updated at bob");
    expect(updated.map((e) => [e.path, e.participantId])).toEqual([
      ["docs/readme.md", alice.localParticipant!.id],
      ["docs/sub/deep.txt", alice.localParticipant!.id],
    ]);
    expect(aliceUpdates).toHaveLength(2);

    expect(await bob.storage.exists("docs/readme.md")).toBe(true);
    const stat = await bob.storage.stat("docs/readme.md");
    expect(stat).toMatchObject({ name: "readme.md", isFolder: false, size: 4 });
    expect(stat!.updatedAt!.getTime()).toBeGreaterThan(before);
    expect((await bob.storage.stat("docs/sub"))?.isFolder).toBe(true);

    const listing = await bob.storage.list("docs");
    expect(listing.map((e) => [e.name, e.isFolder, e.size])).toEqual([
      ["readme.md", false, 4],
      ["sub", true, null],
    ]);
    expect((await bob.storage.list("")).map((e) => e.name)).toEqual(["docs"]);

    await alice.storage.delete("docs/readme.md");
    const notEmpty = await roomRefusal(alice.storage.delete("docs"));
    expect(notEmpty.message).toMatch(/folder is not empty/);
    await alice.storage.delete("docs", { recursive: true });
    await waitFor(() => deleted.length === 2, "two storage.file.deleted at bob");
    expect(deleted.map((e) => [e.path, e.participantId])).toEqual([
      ["docs/readme.md", alice.localParticipant!.id],
      ["docs", alice.localParticipant!.id],
    ]);
    expect(await bob.storage.exists("docs/sub/deep.txt")).toBe(false);
    const missing = await roomRefusal(alice.storage.delete("docs"));
    expect(missing.code).toBe(1003);
    const missingDownload = await roomRefusal(bob.storage.download("nope.txt"));
    expect(missingDownload.message).toBe("file not found: nope.txt");
  });
});

describe("refusals", () => {
  const badPaths: [string, RegExp][] = [
    ["../escape.txt", /"\.\." segments are not allowed/],
    ["a/../../escape.txt", /"\.\." segments are not allowed/],
    ["/etc/passwd", /absolute paths are not allowed/],
    ["a\0b.txt", /NUL characters are not allowed/],
    ["a\\..\\b.txt", /backslashes are not allowed/],
    ["a//b.txt", /empty path segments/],
  ];

  it("refuses paths that could leave the room, for every tool, with a clear error", async () => {
    await h.start();
    const alice = await h.join("alice", { enable: false });
    for (const [bad, expected] of badPaths) {
      // One call at a time: a refusal must never be left without a handler.
      const calls: [string, () => Promise<unknown>][] = [
        ["upload", () => alice.storage.upload(bad, new Uint8Array([1, 2, 3]))],
        ["download", () => alice.storage.download(bad)],
        ["stat", () => alice.storage.stat(bad)],
        ["exists", () => alice.storage.exists(bad)],
        ["list", () => alice.storage.list(bad)],
        ["delete", () => alice.storage.delete(bad, { recursive: true })],
        ["download_url", () => alice.storage.downloadUrl(bad)],
      ];
      for (const [tool, call] of calls) {
        const error = await roomRefusal(call());
        expect(error.message, `${tool} ${JSON.stringify(bad)}`).toMatch(expected);
        expect(error.code).toBe(1002);
      }
    }
    expect(await filesOnDisk()).toEqual([]);
    // The connection is still fine afterwards.
    await alice.storage.upload("ok.txt", new Uint8Array([1]));
    expect(await alice.storage.exists("ok.txt")).toBe(true);
  });

  it("refuses uploads over the size cap, announced or streamed, leaving nothing visible", async () => {
    await h.start({ maxUploadBytes: 100_000 });
    const alice = await h.join("alice", { enable: false });
    const announced = await roomRefusal(alice.storage.upload("big.bin", new Uint8Array(100_001)));
    expect(announced.message).toBe(
      "file too large: 100001 bytes, the limit is 100000 bytes (DEV_ROOM_MAX_UPLOAD_BYTES)",
    );
    async function* unknownSize() {
      for (let i = 0; i < 4; i++) yield new Uint8Array(40_000);
    }
    const streamed = await roomRefusal(alice.storage.uploadStream("big2.bin", unknownSize()));
    expect(streamed.message).toMatch(/^file too large: \d+ bytes, the limit is 100000 bytes/);
    expect(await alice.storage.exists("big.bin")).toBe(false);
    expect(await alice.storage.exists("big2.bin")).toBe(false);
    expect(await alice.storage.list("")).toEqual([]);
    // The temporary file is removed, not just hidden.
    await new Promise((r) => setTimeout(r, 50));
    expect(await filesOnDisk()).toEqual([]);
    await alice.storage.upload("exact.bin", new Uint8Array(100_000));
    expect((await alice.storage.stat("exact.bin"))?.size).toBe(100_000);
  });

  it("enforces the token's storage grant: prefixes, read-only, none", async () => {
    await h.start();
    const owner = await h.join("owner", { enable: false });
    await owner.storage.upload("files/a.txt", new Uint8Array([1]));
    await owner.storage.upload("secret/b.txt", new Uint8Array([2]));
    const limited = await h.join("limited", {
      enable: false,
      api: new ApiScope({ storage: new StorageGrant({ paths: [new StoragePathGrant({ path: "files/" })] }) }),
    });
    await limited.storage.upload("files/c.txt", new Uint8Array([3]));
    expect((await limited.storage.download("files/a.txt")).data).toEqual(new Uint8Array([1]));
    expect((await roomRefusal(limited.storage.download("secret/b.txt"))).code).toBe(1001);
    expect((await roomRefusal(limited.storage.upload("secret/x.txt", new Uint8Array([1])))).message).toBe(
      "permission denied: the token does not grant storage write on secret/x.txt",
    );
    expect((await limited.storage.list("")).map((e) => e.name)).toEqual(["files"]);

    const reader = await h.join("reader", {
      enable: false,
      api: new ApiScope({
        storage: new StorageGrant({ paths: [new StoragePathGrant({ path: "files/", readOnly: true })] }),
      }),
    });
    expect((await reader.storage.download("files/a.txt")).data).toEqual(new Uint8Array([1]));
    expect((await roomRefusal(reader.storage.delete("files/a.txt"))).code).toBe(1001);

    const none = await h.join("none", { enable: false, api: new ApiScope({}) });
    expect((await roomRefusal(none.storage.exists("files/a.txt"))).code).toBe(1001);
    expect(await owner.storage.exists("files/a.txt")).toBe(true);
  });
});

describe("download links", () => {
  async function fetchBytes(url: string): Promise<{ status: number; body: Uint8Array; type: string | null }> {
    const res = await fetch(url);
    return { status: res.status, body: new Uint8Array(await res.arrayBuffer()), type: res.headers.get("content-type") };
  }

  it("serves the file over HTTP, only for that room and file", async () => {
    await h.start();
    const alice = await h.join("alice", { enable: false });
    const bytes = new Uint8Array(randomBytes(200_000));
    await alice.storage.upload("img/photo.png", bytes);
    await alice.storage.upload("img/other.png", new Uint8Array([9]));
    const url = await alice.storage.downloadUrl("img/photo.png");
    expect(url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${h.server.port}/storage/test/img/photo\\.png\\?token=`));
    const ok = await fetchBytes(url);
    expect(ok.status).toBe(200);
    expect(ok.type).toBe("image/png");
    expect(sha(ok.body)).toBe(sha(bytes));

    const otherFile = await fetchBytes(url.replace("/img/photo.png?", "/img/other.png?"));
    expect(otherFile).toMatchObject({ status: 403 });
    expect(new TextDecoder().decode(otherFile.body)).toBe("download link is not valid for this file");
    const otherRoom = await fetchBytes(url.replace("/storage/test/", "/storage/elsewhere/"));
    expect(otherRoom.status).toBe(403);
    const tampered = await fetchBytes(url.slice(0, -3) + (url.endsWith("AAA") ? "BBB" : "AAA"));
    expect(new TextDecoder().decode(tampered.body)).toBe("invalid download link");
    const noToken = await fetchBytes(url.split("?")[0]);
    expect(new TextDecoder().decode(noToken.body)).toBe("missing download token");
    const traversal = await fetchBytes(url.replace("/img/photo.png?", "/img/..%2F..%2Fx?"));
    expect(traversal.status).toBe(400);

    await alice.storage.delete("img/photo.png");
    expect((await fetchBytes(url)).status).toBe(404);
    expect((await roomRefusal(alice.storage.downloadUrl("img/photo.png"))).code).toBe(1003);
  });

  it("expires", async () => {
    await h.start({ downloadUrlTtlSeconds: 0 });
    const alice = await h.join("alice", { enable: false });
    await alice.storage.upload("a.txt", new Uint8Array([1]));
    const res = await fetch(await alice.storage.downloadUrl("a.txt"));
    expect(res.status).toBe(403);
    expect(await res.text()).toBe("download link expired");
  });
});

describe("concurrency and restarts", () => {
  it("concurrent uploads to one path end with one whole file", async () => {
    await h.start();
    const clients: RoomClient[] = [];
    for (const name of ["a", "b", "c"]) clients.push(await h.join(name, { enable: false }));
    const contents = clients.map(() => new Uint8Array(randomBytes(200_000)));
    const hashes = contents.map(sha);
    for (let round = 0; round < 2; round++) {
      await Promise.all(clients.map((c, i) => c.storage.upload("shared.bin", contents[i], { overwrite: true })));
      const got = await clients[0].storage.download("shared.bin");
      expect(got.data.length).toBe(200_000);
      expect(hashes).toContain(sha(got.data));
    }
    expect((await filesOnDisk()).filter((f) => f.includes("/tmp/"))).toEqual([]);

    // Without overwrite, exactly one of several racing uploads to a new path wins.
    const outcomes = await Promise.allSettled(clients.map((c, i) => c.storage.upload("first-wins.bin", contents[i])));
    const won = outcomes.flatMap((o, i) => (o.status === "fulfilled" ? [i] : []));
    expect(won).toHaveLength(1);
    for (const o of outcomes) {
      if (o.status === "rejected") expect(String(o.reason)).toMatch(/file already exists: first-wins\.bin/);
    }
    expect(sha((await clients[0].storage.download("first-wins.bin")).data)).toBe(hashes[won[0]]);
  });

  it("keeps files across a restart with the same data folder", async () => {
    await h.start();
    let alice = await h.join("alice", { enable: false });
    const bytes = new Uint8Array(randomBytes(10_000));
    await alice.storage.upload("keep/me.bin", bytes);
    await h.cleanup();
    await h.start();
    alice = await h.join("alice", { enable: false });
    expect(sha((await alice.storage.download("keep/me.bin")).data)).toBe(sha(bytes));
    expect((await alice.storage.list("keep")).map((e) => e.name)).toEqual(["me.bin"]);
  });
});

describe("hostile disk and concurrency (19 L1, L2, L10)", () => {
  const roomFiles = () => path.join(h.dataDir, "rooms", `r-${Buffer.from("test").toString("base64url")}`, "files");

  it("never follows a symbolic link already on disk: read, write, list, delete and links are refused", async () => {
    await h.start();
    const alice = await h.join("alice", { enable: false });
    await alice.storage.upload("ok.txt", new TextEncoder().encode("fine"));
    const outside = await fs.mkdtemp(path.join(path.dirname(h.dataDir), "dev-room-outside-"));
    try {
      await fs.writeFile(path.join(outside, "secret.txt"), "outside the room");
      await fs.symlink(outside, path.join(roomFiles(), "evil"));
      await fs.symlink(path.join(outside, "secret.txt"), path.join(roomFiles(), "link.txt"));
      const linkError = /it goes through a symbolic link; the local room does not follow links$/;
      for (const [what, call] of [
        ["download through a folder link", () => alice.storage.download("evil/secret.txt")],
        ["download a file link", () => alice.storage.download("link.txt")],
        ["upload through a folder link", () => alice.storage.upload("evil/new.txt", new Uint8Array([1]))],
        ["overwrite a file link", () => alice.storage.upload("link.txt", new Uint8Array([1]), { overwrite: true })],
        ["delete through a folder link", () => alice.storage.delete("evil/secret.txt")],
        ["delete a folder link", () => alice.storage.delete("evil", { recursive: true })],
        ["stat through a link", () => alice.storage.stat("evil/secret.txt")],
        ["list a folder link", () => alice.storage.list("evil")],
        ["link to a file through a link", () => alice.storage.downloadUrl("evil/secret.txt")],
      ] as const) {
        const error = await roomRefusal((call as () => Promise<unknown>)());
        expect(error.message, what).toMatch(linkError);
      }
      // Links are not listed, and what they point at is untouched.
      expect((await alice.storage.list("")).map((e) => e.name)).toEqual(["ok.txt"]);
      expect(await fs.readdir(outside)).toEqual(["secret.txt"]);
      expect(await fs.readFile(path.join(outside, "secret.txt"), "utf8")).toBe("outside the room");
      expect(new TextDecoder().decode((await alice.storage.download("ok.txt")).data)).toBe("fine");
    } finally {
      await fs.rm(outside, { recursive: true, force: true });
    }
  });

  it("keeps a room under DEV_ROOM_MAX_ROOM_BYTES with a clear error; replacing a file counts the difference", async () => {
    await h.start({ maxRoomBytes: 100_000 });
    const alice = await h.join("alice", { enable: false });
    await alice.storage.upload("a.bin", new Uint8Array(60_000));
    const announced = await roomRefusal(alice.storage.upload("b.bin", new Uint8Array(50_000)));
    expect(announced.message).toBe(
      "room storage full: this upload needs 50000 bytes, 40000 of the room's 100000 bytes are free (DEV_ROOM_MAX_ROOM_BYTES)",
    );
    async function* unknownSize() {
      for (let i = 0; i < 5; i++) yield new Uint8Array(10_000);
    }
    const streamed = await roomRefusal(alice.storage.uploadStream("c.bin", unknownSize()));
    expect(streamed.message).toMatch(/^room storage full: this upload needs \d+ bytes, 40000 of the room's 100000/);
    await alice.storage.upload("a.bin", new Uint8Array(95_000), { overwrite: true });
    expect((await alice.storage.list("")).map((e) => [e.name, e.size])).toEqual([["a.bin", 95_000]]);
    // Another room has its own quota.
    const other = await h.join("other", { enable: false, room: "elsewhere" });
    await other.storage.upload("x.bin", new Uint8Array(90_000));
    await new Promise((r) => setTimeout(r, 50));
    expect((await filesOnDisk()).filter((f) => f.includes("/tmp/"))).toEqual([]);
  });

  it("uploads racing deletes of their folder, and a file racing a folder, answer clear errors and damage nothing", async () => {
    await h.start();
    const alice = await h.join("alice", { enable: false });
    const bob = await h.join("bob", { enable: false });
    const messages = new Set<string>();
    // Many rounds at once, so that renames land between another call's checks and its own rename.
    await Promise.all(
      Array.from({ length: 15 }, async (_, round) => {
        const bytes = new Uint8Array(randomBytes(2_000));
        const outcomes = await Promise.allSettled([
          alice.storage.upload(`race/${round}/deep/file.bin`, bytes),
          bob.storage.delete(`race/${round}`, { recursive: true }),
          alice.storage.upload(`race/${round}/deep/other.bin`, bytes),
          alice.storage.upload(`clash${round}`, bytes, { overwrite: true }),
          bob.storage.upload(`clash${round}/child.bin`, bytes),
        ]);
        for (const outcome of outcomes) {
          if (outcome.status === "rejected") messages.add(String((outcome.reason as Error).message));
        }
        const stat = await alice.storage.stat(`race/${round}/deep/file.bin`);
        if (stat) expect(sha((await alice.storage.download(`race/${round}/deep/file.bin`)).data)).toBe(sha(bytes));
      }),
    );
    for (const message of messages) {
      expect(message).not.toMatch(/internal error/);
      expect(message).toMatch(
        /^(file not found: race\/\d+|cannot write clash\d+: it is a folder|cannot create clash\d+\/child\.bin: a parent is a file|cannot write race\/\d+\/deep\/(file|other)\.bin: its folder was changed by someone else during the upload; nothing was written, try again)$/,
      );
    }
    await new Promise((r) => setTimeout(r, 50));
    expect((await filesOnDisk()).filter((f) => f.includes("/tmp/"))).toEqual([]);
  });
});
