import {
  AgentsGrant,
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
 * read/write storage under ROOM_FILES_PREFIX only, sync of the room documents
 * listed in ROOM_DOCUMENT_PATHS only (the shared notes, the poll), and hosting a private toolkit (the `ui` toolkit agents
 * use to ask the person something, show a toast or open a document).
 *
 * Agents: a private toolkit is listed only for its owner and for callers that
 * name the owner (an agent acting for this person), so registering one is all
 * hosting needs. Everything else is spelled out as false because AgentsGrant
 * defaults every field to true: no public toolkits (any participant could
 * reach them), no use_tools (listing and calling other participants' tools,
 * which would let one browser drive another's dialogs), no call (room.call
 * invites webhook agents), no use_agents / register_agent.
 *
 * This is the one place to widen it when you add a feature that needs more,
 * for example:
 *
 *   storage: new StorageGrant({ paths: [new StoragePathGrant({ path: "shared/", readOnly: true })] }),
 *   agents: new AgentsGrant({ ...as below, useTools: true }),
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
    agents: new AgentsGrant({
      registerPrivateToolkit: true,
      registerPublicToolkit: false,
      useTools: false,
      call: false,
      useAgents: false,
      registerAgent: false,
    }),
  });
}
