/** A real 0.35.8 SDK client in the bench process, joined to a room on the bench's room server. */

import { ApiScope, ParticipantToken, Protocol, RoomClient, WebSocketProtocolChannel } from "@meshagent/meshagent";

interface Participant {
  room: string;
  secret: string;
  name: string;
  role: "user" | "agent";
  api?: ApiScope;
}

/** A participant token for the bench's room server (e.g. for an SDK client in a browser page). */
export async function participantJwt(options: Participant): Promise<string> {
  const token = new ParticipantToken({ name: options.name });
  token.addRoomGrant(options.room);
  token.addRoleGrant(options.role);
  if (options.api) token.addApiGrant(options.api);
  return token.toJwt({ token: options.secret });
}

export async function joinRoom(options: Participant & { roomUrl: string }): Promise<RoomClient> {
  const jwt = await participantJwt(options);
  const client = new RoomClient({
    protocol: new Protocol({
      channel: new WebSocketProtocolChannel({ url: `${options.roomUrl}/rooms/${options.room}`, jwt }),
    }),
  });
  await client.start({ onDone: () => {}, onError: () => {} });
  await client.messaging.enable();
  return client;
}
