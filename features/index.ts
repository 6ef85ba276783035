import { AgentsTab } from "@/features/agents/agents-tab";
import { lazy } from "react";
import { ParticipantList } from "@/features/participants/participant-list";
import { RaiseHand } from "@/features/raise-hand/raise-hand";
import { RoomChat } from "@/features/room-chat/room-chat";
import { UiToolsHost } from "@/features/ui-tools/ui-tools-host";
import { loadDocumentRuntime } from "@/lib/room/lazy-document-runtime";
import type { RoomFeature } from "@/lib/room/room-feature";

/**
 * Every feature of the room page, in display order. Adding a feature is one
 * folder under features/ plus one line here.
 */
export const ROOM_FEATURES: RoomFeature[] = [
  { id: "participants", title: "Who is here", slot: "sidebar", Component: ParticipantList },
  { id: "raise-hand", title: "Raise hand", slot: "sidebar", Component: RaiseHand },
  // Agents' requests through the `ui` tools (dialogs, toasts, a document viewer): shown over the page.
  { id: "ui-tools", title: "Agent requests", slot: "sidebar", Component: UiToolsHost },
  { id: "room-chat", title: "Room chat", slot: "main", Component: RoomChat },
  { id: "agents", title: "Agents", slot: "main", Component: AgentsTab },
  {
    id: "shared-notes",
    title: "Notes",
    slot: "main",
    Component: lazy(() => {
      // The notes need the SDK's document runtime too: fetch both at once. A
      // failure here is reported by the notes view, which asks again.
      loadDocumentRuntime().catch(() => undefined);
      return import("@/features/shared-notes/shared-notes").then((m) => ({ default: m.SharedNotes }));
    }),
  },
  {
    id: "poll",
    title: "Poll",
    slot: "main",
    Component: lazy(() => {
      loadDocumentRuntime().catch(() => undefined);
      return import("@/features/poll/poll").then((m) => ({ default: m.Poll }));
    }),
  },
];
