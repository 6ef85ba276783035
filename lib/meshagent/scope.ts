import {
  ApiScope,
  MessagingGrant,
  StorageGrant,
  StoragePathGrant,
  SyncGrant,
  SyncPathGrant,
} from "@meshagent/meshagent";

/**
 * Room files (chat attachments) live under this folder. Storage grants match
 * by prefix (StorageGrant.matches), so the trailing "/" keeps "files-old/..."
 * out. Paths are room-relative: no leading "/".
 */
export const ROOM_FILES_PREFIX = "files/";

/** The room's one shared notes document, opened with room.sync.open. Sync grants match this path exactly. */
export const SHARED_NOTES_PATH = "notes/shared.notes";

/**
 * What a browser participant may do in the room, written into every token.
 *
 * Least privilege: room messaging (presence, direct messages, broadcasts),
 * read/write storage under ROOM_FILES_PREFIX only, and sync of the one shared
 * notes document only. This is the one place to widen it when you add a
 * feature that needs more, for example:
 *
 *   storage: new StorageGrant({ paths: [new StoragePathGrant({ path: "shared/", readOnly: true })] }),
 *   agents: new AgentsGrant({ call: true, useTools: true }),
 *
 * Never hand browsers ApiScope.agentDefault() or full(): those are for agents
 * (and grant admin, containers, secrets and developer access).
 */
export function participantApiScope(): ApiScope {
  return new ApiScope({
    messaging: new MessagingGrant({ broadcast: true, list: true, send: true }),
    storage: new StorageGrant({ paths: [new StoragePathGrant({ path: ROOM_FILES_PREFIX, readOnly: false })] }),
    sync: new SyncGrant({ paths: [new SyncPathGrant({ path: SHARED_NOTES_PATH, readOnly: false })] }),
  });
}
