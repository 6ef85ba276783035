"use client";

import dynamic from "next/dynamic";
import { Component, type ReactNode } from "react";
import { ConnectingView } from "@/components/room/connecting-view";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import type { RoomConnectionInfo } from "@meshagent/meshagent-react";
import type { RoomUser } from "@/lib/room/room-context";

/**
 * The MeshAgent SDK is only needed on room pages, and only in the browser:
 * load it (and the room UI) as its own chunk, after the page shell renders.
 */
const loadRoomApp = () => import("@/components/room/room-app").then((module) => module.RoomApp);
// Start downloading that chunk as soon as this module runs in the browser,
// in parallel with hydration, rather than when the placeholder first renders.
if (typeof window !== "undefined") void loadRoomApp().catch(() => {});

const RoomApp = dynamic(loadRoomApp, { ssr: false, loading: () => <LoadingRoom /> });

export function RoomLoader(props: { room: string; user: RoomUser; initialConnection?: RoomConnectionInfo | null }) {
  return (
    <LoadFailureBoundary>
      <RoomApp {...props} />
    </LoadFailureBoundary>
  );
}

/**
 * Shown (server-rendered) while the room's code loads. If it never arrives
 * (offline, blocked, a dev server still compiling), a notice with a plain
 * reload link fades in after 20 s by CSS alone: it works even when the page's
 * JavaScript never runs.
 */
function LoadingRoom() {
  return (
    <div className="space-y-3">
      <ConnectingView phase="loading" />
      <Alert
        tone="warning"
        data-testid="room-load-slow"
        className="invisible mx-auto max-w-md animate-[appear_0s_20s_forwards] space-y-2"
      >
        <p>The room is taking longer than usual to load.</p>
        <a href="" className="font-medium underline">
          Reload
        </a>
      </Alert>
    </div>
  );
}

function ReloadNotice({ message }: { message: string }) {
  return (
    <Alert tone="warning" role="alert" data-testid="room-load-failed" className="mx-auto max-w-md space-y-2">
      <p>{message}</p>
      <Button variant="secondary" onClick={() => window.location.reload()}>
        Reload
      </Button>
    </Alert>
  );
}

/** The room's code could not be loaded (offline, blocked, a new deploy): say so instead of loading forever. */
class LoadFailureBoundary extends Component<{ children: ReactNode }, { failed: boolean }> {
  state = { failed: false };

  static getDerivedStateFromError() {
    return { failed: true };
  }

  render() {
    if (this.state.failed)
      return <ReloadNotice message="The room's code could not be loaded. Check your connection and reload." />;
    return this.props.children;
  }
}
