"use client";

import { lazy, Suspense, useEffect } from "react";
import { useStore } from "zustand";
import { Toasts } from "@/features/ui-tools/toasts";
import { UiRoomToolkit } from "@/features/ui-tools/ui-room-toolkit";
import { UI_REQUESTS_STORE, createUiRequests } from "@/features/ui-tools/ui-requests";
import { useRoomContext } from "@/lib/room/room-context";
import { useRoom, useRoomStore } from "@/lib/room/use-room";

// Dialogs download only when an agent first asks for one.
const AskUserDialog = lazy(() =>
  import("@/features/ui-tools/ask-user-dialog").then((m) => ({ default: m.AskUserDialog })),
);
const AskFileDialog = lazy(() =>
  import("@/features/ui-tools/ask-file-dialog").then((m) => ({ default: m.AskFileDialog })),
);
const DocumentViewer = lazy(() =>
  import("@/features/ui-tools/document-viewer").then((m) => ({ default: m.DocumentViewer })),
);

export function useUiRequests() {
  return useRoomStore(UI_REQUESTS_STORE, createUiRequests);
}

/** While connected, this page hosts a private `ui` room toolkit; its calls become UI requests. */
function useUiRoomToolkit() {
  const { client } = useRoom();
  const { roster } = useRoomContext();
  const submit = useStore(useUiRequests(), (state) => state.submit);

  useEffect(() => {
    if (!client) return;
    const nameOf = (id: string | null) => {
      const caller = id ? roster.getState().roster.get(id) : undefined;
      if (!caller) return "Someone in the room";
      return caller.role === "agent" ? caller.name : `${caller.name} (not an agent)`;
    };
    const toolkit = new UiRoomToolkit(client, submit, nameOf);
    const started = toolkit.start({ public_: false }).then(
      () => true,
      // A room without participant toolkits, or a token without the grant: the page works without it.
      () => false,
    );
    return () => {
      void started.then((ok) => (ok ? toolkit.stop() : undefined)).catch(() => undefined);
    };
  }, [client, roster, submit]);
}

/**
 * What agents ask of the person through the `ui` tools, wherever they come
 * from (the turn protocol's client tools, or the room toolkit): one dialog at
 * a time, toasts, and a document viewer. Renders nothing until asked.
 */
export function UiToolsHost() {
  useUiRoomToolkit();
  const store = useUiRequests();
  const active = useStore(store, (state) => state.active);
  const toasts = useStore(store, (state) => state.toasts);
  const document = useStore(store, (state) => state.document);
  const finish = useStore(store, (state) => state.finish);
  const dismissToast = useStore(store, (state) => state.dismissToast);
  const closeDocument = useStore(store, (state) => state.closeDocument);

  return (
    <>
      <Toasts toasts={toasts} onDismiss={dismissToast} />
      <Suspense fallback={null}>
        {active?.call.tool === "ask_user" ? (
          <AskUserDialog key={active.key} request={active} args={active.call.args} onFinish={finish} />
        ) : null}
        {active?.call.tool === "ask_user_for_file" ? (
          <AskFileDialog key={active.key} request={active} args={active.call.args} onFinish={finish} />
        ) : null}
        {document && !active ? <DocumentViewer key={document.key} document={document} onClose={closeDocument} /> : null}
      </Suspense>
    </>
  );
}
