/** A real 0.35.8 SDK client in the bench process, joined to a room on the bench's room server. */

import { ApiScope, ParticipantToken, Protocol, RoomClient, WebSocketProtocolChannel } from "@meshagent/meshagent";

export async function joinRoom(options: {
  roomUrl: string;
  room: string;
  secret: string;
  name: string;
  role: "user" | "agent";
  api?: ApiScope;
}): Promise<RoomClient> {
  const token = new ParticipantToken({ name: options.name });
  token.addRoomGrant(options.room);
  token.addRoleGrant(options.role);
  if (options.api) token.addApiGrant(options.api);
  const jwt = await token.toJwt({ token: options.secret });
  const client = new RoomClient({
    protocol: new Protocol({
      channel: new WebSocketProtocolChannel({ url: `${options.roomUrl}/rooms/${options.room}`, jwt }),
    }),
  });
  await client.start({ onDone: () => {}, onError: () => {} });
  await client.messaging.enable();
  return client;
}
