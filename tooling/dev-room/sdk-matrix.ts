// The client matrix of the local room's storage and sync tests: the same test
// runs with the SDK the app ships (@meshagent/meshagent 0.35.8) and with the
// newer one agents may use (0.39.9, the dev dependency alias meshagent-sdk-0.39).
// Both are driven unmodified; their storage and sync surfaces are the same
// shape, so tests use the 0.35.8 types for both.

import { Protocol, RoomClient, WebSocketProtocolChannel } from "@meshagent/meshagent";
import { withTimeout } from "../testing/wait";
import { sdk39 as sdk039 } from "./toolkit-test-helpers";

export interface MatrixSdk {
  version: "0.35.8" | "0.39.9";
  /** A started client in `room` of the server at `url` (ws://host:port). */
  connect(url: string, room: string, jwt: string): Promise<RoomClient>;
}

export const SDK_MATRIX: readonly MatrixSdk[] = [
  {
    version: "0.35.8",
    async connect(url, room, jwt) {
      const client = new RoomClient({
        protocol: new Protocol({
          channel: new WebSocketProtocolChannel({ url: `${url}/rooms/${encodeURIComponent(room)}`, jwt }),
        }),
      });
      await withTimeout(client.start(), 3000, "0.35.8 start()");
      return client;
    },
  },
  {
    version: "0.39.9",
    async connect(url, room, jwt) {
      const client = new sdk039.RoomClient({
        protocolFactory: () =>
          new sdk039.WebSocketClientProtocol({ url: `${url}/rooms/${encodeURIComponent(room)}`, token: jwt }),
        // Tests want a refused or dropped connection to fail, not to be retried.
        reconnectTimeout: 0,
      });
      await withTimeout(client.start(), 3000, "0.39.9 start()");
      return client as unknown as RoomClient;
    },
  },
];
