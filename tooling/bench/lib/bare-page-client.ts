/**
 * Browser script of the bare time-to-connected page (bundled by esbuild in
 * bench/lib/bare-page.ts): exactly what the room page does to connect —
 * fetch credentials, open the SDK's WebSocket channel, start the room client,
 * enable messaging — then show the same connected marker, with no React and
 * no framework.
 */

import { Protocol, RoomClient, WebSocketProtocolChannel } from "@meshagent/meshagent";

async function connect(): Promise<void> {
  const room = new URLSearchParams(location.search).get("room") ?? "bench";
  const response = await fetch(`/api/room-connection?room=${encodeURIComponent(room)}`, { cache: "no-store" });
  const { url, jwt } = (await response.json()) as { url: string; jwt: string };
  const client = new RoomClient({ protocol: new Protocol({ channel: new WebSocketProtocolChannel({ url, jwt }) }) });
  await client.start({ onDone: () => {}, onError: () => {} });
  await client.messaging.enable();
  const marker = document.createElement("section");
  marker.dataset.testid = "room-connected";
  marker.dataset.connection = "live";
  marker.textContent = `Connected to ${room}`;
  document.getElementById("root")?.replaceChildren(marker);
}

connect().catch((error: unknown) => {
  const failed = document.createElement("p");
  failed.dataset.testid = "room-failed";
  failed.textContent = String(error);
  document.body.append(failed);
});
