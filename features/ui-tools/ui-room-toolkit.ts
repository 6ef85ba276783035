import {
  EmptyContent,
  ErrorContent,
  JsonContent,
  RemoteToolkit,
  TextContent,
  Tool,
  unpackMessage,
  type Content,
  type RoomClient,
} from "@meshagent/meshagent";
import type { ToolContent } from "@/lib/shared/agent-turn/content";
import { UI_CLIENT_TOOLS, UI_TOOLKIT_NAME, parseUiToolCall } from "@/lib/shared/agent-turn/ui-toolkit";
import type { UiRequest } from "@/features/ui-tools/ui-requests";

/** Who called, from the room's relay (`caller_id`); the SDK's RemoteToolkit does not pass it on. */
type Caller = string | null;

function toContent(content: ToolContent): Content {
  switch (content.type) {
    case "json":
      return new JsonContent({ json: content.json as Record<string, unknown> });
    case "text":
      return new TextContent({ text: content.text });
    case "error":
      return new ErrorContent({ text: content.text });
    default:
      return new EmptyContent();
  }
}

class UiTool extends Tool {
  constructor(
    readonly toolkit: UiRoomToolkit,
    description: (typeof UI_CLIENT_TOOLS)[number],
  ) {
    super({
      name: description.name,
      title: description.title ?? description.name,
      description: description.description ?? "",
      inputSchema: description.input_schema,
    });
  }

  // Runs synchronously up to the await, inside the relay handler, so `currentCaller` is this call's.
  async execute(args: Record<string, unknown>): Promise<Content> {
    const caller = this.toolkit.currentCaller;
    const call = parseUiToolCall(this.name, args);
    if (!call) return new ErrorContent({ text: `invalid arguments for ${this.name}` });
    const answer = await new Promise<ToolContent>((respond) =>
      this.toolkit.submit({ key: crypto.randomUUID(), asker: this.toolkit.nameOf(caller), call, respond }),
    );
    return toContent(answer);
  }
}

/**
 * The browser's private `ui` room toolkit (SDK 0.35.8 RemoteToolkit): agents
 * in the room call ask_user, ask_user_for_file, show_toast and
 * display_document on this page by naming its participant id, as MeshAgent's
 * agents do with `--require-toolkit ui`. Calls become UI requests.
 */
export class UiRoomToolkit extends RemoteToolkit {
  currentCaller: Caller = null;

  constructor(
    room: RoomClient,
    readonly submit: (request: UiRequest) => void,
    readonly nameOf: (participantId: Caller) => string,
  ) {
    super({
      name: UI_TOOLKIT_NAME,
      title: "ui",
      description: "ask the person on this page something, show them a toast or a room file",
      room,
      tools: [],
    });
    this.tools.push(...UI_CLIENT_TOOLS.map((tool) => new UiTool(this, tool)));
  }

  override async start({ public_ = false }: { public_?: boolean } = {}): Promise<void> {
    await super.start({ public_ });
    const type = `room.tool_call.${UI_TOOLKIT_NAME}`;
    const sdkHandler = (this.client.protocol as unknown as { handlers: Record<string, Handler> }).handlers[type];
    this.client.protocol.addHandler(type, (protocol, messageId, messageType, data) => {
      try {
        const callerId: unknown = data ? unpackMessage(data)[0].caller_id : null;
        this.currentCaller = typeof callerId === "string" ? callerId : null;
      } catch {
        this.currentCaller = null;
      }
      return sdkHandler(protocol, messageId, messageType, data);
    });
  }
}

type Handler = (protocol: unknown, messageId: number, type: string, data?: Uint8Array) => Promise<void>;
