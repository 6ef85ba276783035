// The TurnPort over a joined 0.35.8 SDK client.

import { packMessage, type RoomClient, type StorageEntry } from "@meshagent/meshagent";
import { roomPeers } from "../connection";
import { AGENT_MESSAGE_ROOM_TYPE } from "../../lib/shared/agent-turn/parse";
import { FileTooLargeError, type StoredFile, type TurnPort } from "./port";

function joinPath(folder: string, name: string): string {
  return folder === "" ? name : `${folder.replace(/\/+$/, "")}/${name}`;
}

function storedFile(path: string, entry: StorageEntry): StoredFile {
  return {
    path,
    name: entry.name,
    isFolder: entry.isFolder,
    size: entry.size ?? null,
    updatedAt: entry.updatedAt ? entry.updatedAt.toISOString() : null,
  };
}

export function roomTurnPort(room: RoomClient): TurnPort {
  return {
    ...roomPeers(room),
    async send(toId, payload) {
      const to = room.messaging.getParticipant(toId);
      if (!to) return;
      await room.messaging.sendMessage({
        to,
        type: AGENT_MESSAGE_ROOM_TYPE,
        message: payload as Record<string, unknown>,
        ignoreOffline: true,
      });
    },
    async setAttributes(attributes) {
      await room.protocol.send("set_attributes", packMessage(attributes));
    },
    files: {
      async stat(path) {
        const entry = await room.storage.stat(path);
        return entry ? storedFile(path, entry) : null;
      },
      async list(folder) {
        const entries = await room.storage.list(folder);
        return entries.map((entry) => storedFile(joinPath(folder, entry.name), entry));
      },
      async read(path, maxBytes) {
        const entry = await room.storage.stat(path);
        if (!entry || entry.isFolder) return null;
        if ((entry.size ?? 0) > maxBytes) throw new FileTooLargeError(path, entry.size ?? 0);
        const file = await room.storage.download(path);
        if (file.data.length > maxBytes) throw new FileTooLargeError(path, file.data.length);
        return file.data;
      },
      async write(path, bytes) {
        await room.storage.upload(path, bytes, { overwrite: true });
      },
      async delete(path) {
        await room.storage.delete(path);
      },
    },
  };
}
