import {
  ApiScope,
  MessagingGrant,
  StorageGrant,
  StoragePathGrant,
  SyncGrant,
  SyncPathGrant,
} from "@meshagent/meshagent";
import { ROOM_DOCUMENT_PATHS, ROOM_FILES_PREFIX, SHARED_NOTES_PATH } from "./shared/room-paths";

export { ROOM_FILES_PREFIX, SHARED_NOTES_PATH };

/**
 * What a browser participant may do in the room, written into every token.
 *
 * Least privilege: room messaging (presence, direct messages, broadcasts),
 * read/write storage under ROOM_FILES_PREFIX only, and sync of the room
 * documents listed in ROOM_DOCUMENT_PATHS only (the shared notes, the poll). This is the one place to widen it when you add a
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
    sync: new SyncGrant({
      paths: ROOM_DOCUMENT_PATHS.map((path) => new SyncPathGrant({ path, readOnly: false })),
    }),
  });
}
