import { ApiScope, MessagingGrant } from "@meshagent/meshagent";

/**
 * What a browser participant may do in the room, written into every token.
 *
 * Least privilege by default: room messaging only (presence, direct messages,
 * broadcasts). This is the one place to widen it when you add a feature that
 * needs more, for example:
 *
 *   new ApiScope({
 *     messaging: new MessagingGrant(),
 *     storage: new StorageGrant({ paths: [new StoragePathGrant({ path: "/shared", readOnly: true })] }),
 *     agents: new AgentsGrant({ call: true, useTools: true }),
 *   })
 *
 * Never hand browsers ApiScope.agentDefault() or fullDefault(): those are for agents.
 */
export function participantApiScope(): ApiScope {
  return new ApiScope({
    messaging: new MessagingGrant({ broadcast: true, list: true, send: true }),
  });
}
