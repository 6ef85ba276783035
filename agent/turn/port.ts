// What the turn-protocol agent needs from a joined room, as an interface so
// the agent's logic does not hold the SDK client (room-port.ts provides it).

import type { Peer } from "../handler";

export interface StoredFile {
  path: string;
  name: string;
  isFolder: boolean;
  size: number | null;
  updatedAt: string | null;
}

/** Room storage, with room-relative paths. */
export interface RoomFiles {
  /** null when there is no such file. */
  stat(path: string): Promise<StoredFile | null>;
  list(folder: string): Promise<StoredFile[]>;
  /** The file's bytes, or null when there is none. Refuses files over `maxBytes`. */
  read(path: string, maxBytes: number): Promise<Uint8Array | null>;
  write(path: string, bytes: Uint8Array): Promise<void>;
  delete(path: string): Promise<void>;
}

export interface TurnPort {
  peer(id: string): Peer | null;
  peers(): Peer[];
  /** One `agent-message` room message, bare payload (as MeshAgent 0.40+ agents send). */
  send(toId: string, payload: object): Promise<void>;
  setAttributes(attributes: Record<string, unknown>): Promise<void>;
  readonly files: RoomFiles;
}

/** A file over a reader's size cap. */
export class FileTooLargeError extends Error {
  constructor(
    readonly path: string,
    readonly size: number,
  ) {
    super(`${path} is ${size} bytes, too large to read`);
    this.name = "FileTooLargeError";
  }
}
