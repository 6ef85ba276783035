import {
  ParticipantToken,
  Protocol,
  RoomClient,
  WebSocketProtocolChannel,
  type RoomMessageEvent,
} from "@meshagent/meshagent";
import { silenceSdkResponseLogs } from "../agent/sdk-noise";
import { ROOM_PORT, ROOM_SECRET } from "./env";

silenceSdkResponseLogs();

export const ROOM_URL = `ws://127.0.0.1:${ROOM_PORT}`;

export interface SeenMessage {
  fromId: string;
  type: string;
  message: Record<string, unknown>;
}

/** A real SDK client in a test room, joined with messaging on; `seen` records every message it gets. */
export async function joinWithSdk(
  room: string,
  jwt: string,
  onMessage?: (message: SeenMessage) => void,
): Promise<{ client: RoomClient; seen: SeenMessage[] }> {
  const client = new RoomClient({
    protocol: new Protocol({ channel: new WebSocketProtocolChannel({ url: `${ROOM_URL}/rooms/${room}`, jwt }) }),
  });
  const seen: SeenMessage[] = [];
  client.messaging.on("message", (event: RoomMessageEvent) => {
    const { fromParticipantId, type, message } = event.message;
    const seenMessage = { fromId: fromParticipantId, type, message: message as Record<string, unknown> };
    seen.push(seenMessage);
    onMessage?.(seenMessage);
  });
  await client.start({ onDone: () => {}, onError: () => {} });
  await client.messaging.enable();
  return { client, seen };
}

/** A user token for the tests' room server, as the app's token route would sign it. */
export function userToken(room: string, name: string): Promise<string> {
  const token = new ParticipantToken({ name });
  token.addRoomGrant(room);
  token.addRoleGrant("user");
  return token.toJwt({ token: ROOM_SECRET! });
}
