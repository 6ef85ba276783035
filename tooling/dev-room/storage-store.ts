// Room files on disk: <dataDir>/rooms/<room folder>/files/<path>. Uploads are
// written to <room folder>/tmp/ and moved into place only when complete, so a
// half-written or refused upload is never visible, and concurrent uploads to
// one path end with one whole file (the last rename wins).

import { createHash, randomUUID } from "node:crypto";
import { constants as fsConstants, promises as fs } from "node:fs";
import path from "node:path";
import { ErrorCode, RequestError } from "./content";
import { baseName } from "./room-paths";

/** DEV_ROOM_MAX_UPLOAD_BYTES default: 25 MiB. */
export const DEFAULT_MAX_UPLOAD_BYTES = 25 * 1024 * 1024;

export interface StorageEntryJson {
  name: string;
  is_folder: boolean;
  size: number | null;
  created_at: string;
  updated_at: string;
}

/** A folder name for a room that is safe on every file system whatever the room is called. */
function roomFolderName(room: string): string {
  const readable = Buffer.from(room, "utf8").toString("base64url");
  return readable.length <= 120 ? `r-${readable}` : `h-${createHash("sha256").update(room).digest("hex")}`;
}

function notFound(what: string, p: string): RequestError {
  return new RequestError(`${what} not found: ${p}`, ErrorCode.NOT_FOUND);
}

/** Opening the last component refuses a symbolic link (ELOOP) instead of following it. */
const READ_NO_FOLLOW = fsConstants.O_RDONLY | fsConstants.O_NOFOLLOW;

function symlinkRefused(relative: string): RequestError {
  return new RequestError(
    `invalid path ${JSON.stringify(relative)}: it goes through a symbolic link; the local room does not follow links`,
    ErrorCode.INVALID_REQUEST,
  );
}

/** A rename or mkdir lost a race with a delete or another upload: nothing was changed, the client may retry. */
function raced(relative: string): RequestError {
  return new RequestError(
    `cannot write ${relative}: its folder was changed by someone else during the upload; nothing was written, try again`,
    ErrorCode.OPERATION_FAILED,
  );
}

function isCode(error: unknown, ...codes: string[]): boolean {
  return typeof error === "object" && error !== null && codes.includes((error as NodeJS.ErrnoException).code ?? "");
}

export class RoomStorage {
  constructor(readonly dataDir: string) {}

  roomDir(room: string): string {
    return path.join(this.dataDir, "rooms", roomFolderName(room));
  }

  private filesDir(room: string): string {
    return path.join(this.roomDir(room), "files");
  }

  /** `relative` has been validated by roomPath(); the check below is a second fence. */
  resolve(room: string, relative: string): string {
    const root = this.filesDir(room);
    const full = relative === "" ? root : path.join(root, ...relative.split("/"));
    if (full !== root && !full.startsWith(root + path.sep)) {
      throw new RequestError(`invalid path ${JSON.stringify(relative)}: outside the room`, ErrorCode.INVALID_REQUEST);
    }
    return full;
  }

  /**
   * The path on disk, refused if any existing component below the room's
   * folder is a symbolic link (a link placed there must not lead reads,
   * writes or deletes outside it, 19 L1).
   */
  async locate(room: string, relative: string): Promise<string> {
    const full = this.resolve(room, relative);
    let current = this.filesDir(room);
    for (const segment of relative === "" ? [] : relative.split("/")) {
      current = path.join(current, segment);
      let info;
      try {
        info = await fs.lstat(current);
      } catch (error) {
        if (isCode(error, "ENOENT", "ENOTDIR")) break;
        throw error;
      }
      if (info.isSymbolicLink()) throw symlinkRefused(relative);
    }
    return full;
  }

  async stat(room: string, relative: string): Promise<StorageEntryJson | null> {
    try {
      return entryOf(baseName(relative), await fs.lstat(await this.locate(room, relative)));
    } catch (error) {
      if (isCode(error, "ENOENT", "ENOTDIR")) return null;
      throw error;
    }
  }

  /** Bytes of all files of the room (for DEV_ROOM_MAX_ROOM_BYTES); links are not followed. */
  async usedBytes(room: string): Promise<number> {
    let total = 0;
    const walk = async (dir: string): Promise<void> => {
      let entries;
      try {
        entries = await fs.readdir(dir, { withFileTypes: true });
      } catch (error) {
        if (isCode(error, "ENOENT", "ENOTDIR")) return;
        throw error;
      }
      for (const entry of entries) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) await walk(full);
        else if (entry.isFile()) total += (await fs.lstat(full).catch(() => null))?.size ?? 0;
      }
    };
    await walk(this.filesDir(room));
    return total;
  }

  /** A folder that does not exist yet lists as empty: nothing was uploaded there. */
  async list(room: string, folder: string): Promise<{ entry: StorageEntryJson; path: string }[]> {
    const dir = await this.locate(room, folder);
    let names: string[];
    try {
      names = await fs.readdir(dir);
    } catch (error) {
      if (isCode(error, "ENOENT")) return [];
      if (isCode(error, "ENOTDIR")) {
        throw new RequestError(`not a folder: ${folder}`, ErrorCode.INVALID_REQUEST);
      }
      throw error;
    }
    const out: { entry: StorageEntryJson; path: string }[] = [];
    for (const name of names.sort()) {
      try {
        const info = await fs.lstat(path.join(dir, name));
        // Links are neither followed nor shown.
        if (info.isSymbolicLink()) continue;
        out.push({ entry: entryOf(name, info), path: folder ? `${folder}/${name}` : name });
      } catch (error) {
        if (!isCode(error, "ENOENT")) throw error; // deleted while listing
      }
    }
    return out;
  }

  async delete(room: string, relative: string, recursive: boolean): Promise<void> {
    const full = await this.locate(room, relative);
    let info;
    try {
      info = await fs.lstat(full);
    } catch (error) {
      if (isCode(error, "ENOENT", "ENOTDIR")) throw notFound("file", relative);
      throw error;
    }
    if (!info.isDirectory()) {
      await fs.rm(full, { force: true });
      return;
    }
    if (recursive) {
      await fs.rm(full, { recursive: true, force: true });
      return;
    }
    try {
      await fs.rmdir(full);
    } catch (error) {
      if (isCode(error, "ENOTEMPTY", "EEXIST")) {
        throw new RequestError(`folder is not empty: ${relative} (pass recursive: true)`, ErrorCode.INVALID_REQUEST);
      }
      if (isCode(error, "ENOENT")) throw notFound("file", relative);
      throw error;
    }
  }

  /** A fresh temporary file outside the visible tree. */
  async createTemp(room: string): Promise<{ file: string; handle: fs.FileHandle }> {
    const dir = path.join(this.roomDir(room), "tmp");
    await fs.mkdir(dir, { recursive: true, mode: 0o700 });
    const file = path.join(dir, `${randomUUID()}.part`);
    return { file, handle: await fs.open(file, "wx", 0o600) };
  }

  async discardTemp(file: string): Promise<void> {
    await fs.rm(file, { force: true });
  }

  /** Moves a complete upload into place: atomically, and without clobbering unless `overwrite`. */
  async commit(room: string, temp: string, relative: string, overwrite: boolean): Promise<void> {
    const target = await this.locate(room, relative);
    try {
      await fs.mkdir(path.dirname(target), { recursive: true, mode: 0o700 });
    } catch (error) {
      if (isCode(error, "EEXIST", "ENOTDIR")) {
        throw new RequestError(`cannot create ${relative}: a parent is a file`, ErrorCode.INVALID_REQUEST);
      }
      if (isCode(error, "ENOENT")) throw raced(relative);
      throw error;
    }
    // mkdir may have raced with a link being put in place.
    await this.locate(room, relative);
    const existing = await fs.lstat(target).catch(() => null);
    if (existing?.isDirectory()) {
      throw new RequestError(`cannot write ${relative}: it is a folder`, ErrorCode.INVALID_REQUEST);
    }
    try {
      if (overwrite) {
        await fs.rename(temp, target);
        return;
      }
      // link() fails if the target exists, which rename() would silently replace.
      await fs.link(temp, target);
    } catch (error) {
      if (isCode(error, "EEXIST") && !overwrite) throw alreadyExists(relative);
      // A folder appeared at the path, or the parent folder was deleted, after the checks above.
      if (isCode(error, "EISDIR", "ENOTEMPTY", "EEXIST")) {
        throw new RequestError(`cannot write ${relative}: it is a folder`, ErrorCode.INVALID_REQUEST);
      }
      if (isCode(error, "ENOENT", "ENOTDIR")) throw raced(relative);
      throw error;
    } finally {
      if (!overwrite) await fs.rm(temp, { force: true });
    }
  }

  /** Renames a file or folder within the room; never onto a folder, onto a file only with `overwrite`. */
  async move(room: string, source: string, destination: string, overwrite: boolean): Promise<void> {
    if (destination === source || destination.startsWith(`${source}/`)) {
      throw new RequestError(`cannot move ${source} into itself`, ErrorCode.INVALID_REQUEST);
    }
    const from = await this.locate(room, source);
    const to = await this.locate(room, destination);
    const info = await fs.lstat(from).catch(() => null);
    if (info === null) throw notFound("file", source);
    const existing = await fs.lstat(to).catch(() => null);
    if (existing?.isDirectory()) {
      throw new RequestError(`cannot move to ${destination}: it is a folder`, ErrorCode.INVALID_REQUEST);
    }
    if (existing !== null && !overwrite) throw alreadyExists(destination);
    if (existing !== null && info.isDirectory()) {
      throw new RequestError(`cannot move folder ${source} onto file ${destination}`, ErrorCode.INVALID_REQUEST);
    }
    try {
      await fs.mkdir(path.dirname(to), { recursive: true, mode: 0o700 });
      await fs.rename(from, to);
    } catch (error) {
      if (isCode(error, "EEXIST", "ENOTDIR")) {
        throw new RequestError(`cannot move to ${destination}: a parent is a file`, ErrorCode.INVALID_REQUEST);
      }
      if (isCode(error, "ENOENT")) throw raced(destination);
      if (isCode(error, "EISDIR", "ENOTEMPTY")) {
        throw new RequestError(`cannot move to ${destination}: it is a folder`, ErrorCode.INVALID_REQUEST);
      }
      throw error;
    }
  }

  async openForRead(room: string, relative: string): Promise<{ handle: fs.FileHandle; size: number }> {
    const full = await this.locate(room, relative);
    let handle: fs.FileHandle;
    try {
      handle = await fs.open(full, READ_NO_FOLLOW);
    } catch (error) {
      if (isCode(error, "ENOENT", "ENOTDIR")) throw notFound("file", relative);
      if (isCode(error, "ELOOP")) throw symlinkRefused(relative);
      if (isCode(error, "EISDIR"))
        throw new RequestError(`cannot download ${relative}: it is a folder`, ErrorCode.INVALID_REQUEST);
      throw error;
    }
    const info = await handle.stat();
    if (info.isDirectory()) {
      await handle.close();
      throw new RequestError(`cannot download ${relative}: it is a folder`, ErrorCode.INVALID_REQUEST);
    }
    return { handle, size: info.size };
  }
}

export function alreadyExists(relative: string): RequestError {
  return new RequestError(
    `file already exists: ${relative} (pass overwrite: true to replace it)`,
    ErrorCode.INVALID_REQUEST,
  );
}

function entryOf(name: string, info: import("node:fs").Stats): StorageEntryJson {
  const folder = info.isDirectory();
  return {
    name,
    is_folder: folder,
    size: folder ? null : info.size,
    created_at: (info.birthtimeMs > 0 ? info.birthtime : info.ctime).toISOString(),
    updated_at: info.mtime.toISOString(),
  };
}
