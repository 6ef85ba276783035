/**
 * Browser script (bundled by esbuild, bench/lib/bare-page.ts) of the browser
 * floor in tool-call-browser.ts: the bare SDK in a blank page, no React and no
 * app code. It joins the room with `window.__benchPeer` ({url, jwt, frames}), echoes
 * `bench-ping` direct messages as `bench-pong`, and hosts a private `ui`
 * toolkit whose `show_toast` answers at once with nothing, as the SDK's own
 * RemoteToolkit does. `window.__benchPeerReady` settles once both are up.
 */

import {
  EmptyContent,
  Protocol,
  RemoteToolkit,
  RoomClient,
  Tool,
  WebSocketProtocolChannel,
  type RoomMessageEvent,
} from "@meshagent/meshagent";
import { receiveFramesAsArrayBuffers } from "../../../lib/room/binary-frames";

const FRAMES = (window as unknown as { __benchPeer: { frames: "arraybuffer" | "blob" } }).__benchPeer.frames;

class AnswerAtOnce extends Tool {
  async execute(): Promise<EmptyContent> {
    return new EmptyContent();
  }
}

class BareToolkit extends RemoteToolkit {}

async function join(): Promise<void> {
  const { url, jwt } = (window as unknown as { __benchPeer: { url: string; jwt: string } }).__benchPeer;
  const client = new RoomClient({ protocol: new Protocol({ channel: new WebSocketProtocolChannel({ url, jwt }) }) });
  const started = client.start({ onDone: () => {}, onError: () => {} });
  // As the room page does (once the socket exists and is still connecting); with the default Blob frames each
  // message costs a blob read. start() opens the socket a few microtasks in, so no frame can arrive before this.
  if (FRAMES === "arraybuffer") {
    const channel = (client.protocol as unknown as { channel?: { webSocket?: unknown } }).channel;
    for (let i = 0; i < 100 && !channel?.webSocket; i++) await Promise.resolve();
    receiveFramesAsArrayBuffers(client);
    if (!(channel?.webSocket instanceof WebSocket) || channel.webSocket.binaryType !== "arraybuffer")
      throw new Error("the bare peer's socket still receives Blobs");
  }
  await started;
  await client.messaging.enable();
  client.messaging.on("message", (event: RoomMessageEvent) => {
    if (event.message.type !== "bench-ping") return;
    const from = client.messaging.getParticipant(event.message.fromParticipantId);
    if (from) void client.messaging.sendMessage({ to: from, type: "bench-pong", message: event.message.message });
  });
  const tool = new AnswerAtOnce({
    name: "show_toast",
    title: "show_toast",
    description: "answers at once",
    inputSchema: { type: "object", additionalProperties: true, properties: {} },
  });
  await new BareToolkit({ name: "ui", title: "ui", description: "bare", room: client, tools: [tool] }).start({
    public_: false,
  });
}

(window as unknown as { __benchPeerReady: Promise<void> }).__benchPeerReady = join();
