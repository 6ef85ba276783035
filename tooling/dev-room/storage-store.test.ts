// 19 L10: an upload whose folder is deleted, or whose path becomes a folder,
// between the store's checks and its rename. The race is made deterministic by
// doing the other participant's real filesystem change just before the real
// rename/link runs; before the fix both answered "internal error" (ENOENT/EISDIR).

import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { RoomStorage } from "./storage-store";

let dataDir: string;
let store: RoomStorage;

beforeEach(async () => {
  dataDir = await fs.mkdtemp(path.join(os.tmpdir(), "storage-store-"));
  store = new RoomStorage(dataDir);
});

afterEach(async () => {
  vi.restoreAllMocks();
  await fs.rm(dataDir, { recursive: true, force: true });
});

/** A finished upload in the room's temporary folder, as the storage toolkit leaves it before commit(). */
async function finishedUpload(content: string): Promise<string> {
  const { file, handle } = await store.createTemp("r");
  await handle.writeFile(content);
  await handle.close();
  return file;
}

/** Runs `change` right before the next real call of fs[method], the moment another participant's call could land. */
function justBefore(method: "rename" | "link", change: () => Promise<void>) {
  const real = fs[method].bind(fs);
  vi.spyOn(fs, method).mockImplementationOnce(async (from, to) => {
    await change();
    return real(from, to);
  });
}

async function leftInTemp(): Promise<string[]> {
  return (await fs.readdir(path.join(store.roomDir("r"), "tmp")).catch(() => [])).filter((f) => f.endsWith(".part"));
}

describe("commit() losing a race with another participant", () => {
  it.each([true, false])(
    "its folder deleted just before the rename (overwrite %s): a clear error, nothing written",
    async (overwrite) => {
      const temp = await finishedUpload("hello");
      await fs.mkdir(path.join(store.roomDir("r"), "files", "race", "deep"), { recursive: true });
      justBefore(overwrite ? "rename" : "link", () =>
        fs.rm(path.join(store.roomDir("r"), "files", "race"), { recursive: true, force: true }),
      );
      await expect(store.commit("r", temp, "race/deep/file.bin", overwrite)).rejects.toThrow(
        "cannot write race/deep/file.bin: its folder was changed by someone else during the upload; nothing was written, try again",
      );
      expect(await store.stat("r", "race/deep/file.bin")).toBeNull();
      await store.discardTemp(temp);
      expect(await leftInTemp()).toEqual([]);
    },
  );

  it("a folder created at its path just before the rename: a clear error, the folder untouched", async () => {
    const temp = await finishedUpload("hello");
    const target = path.join(store.roomDir("r"), "files", "clash");
    justBefore("rename", async () => {
      await fs.mkdir(target);
      await fs.writeFile(path.join(target, "child.bin"), "theirs");
    });
    await expect(store.commit("r", temp, "clash", true)).rejects.toThrow("cannot write clash: it is a folder");
    expect(await fs.readFile(path.join(target, "child.bin"), "utf8")).toBe("theirs");
  });
});
