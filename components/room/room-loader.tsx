"use client";

import dynamic from "next/dynamic";
import { Component, useSyncExternalStore, type ReactNode } from "react";
import { ConnectingView } from "@/components/room/connecting-view";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import type { RoomConnectionInfo } from "@meshagent/meshagent-react";
import type { RoomUser } from "@/lib/room/room-context";

/**
 * The MeshAgent SDK is only needed on room pages: the room UI is its own
 * chunk. It is server-rendered (the connecting view), so the page's HTML
 * names that chunk and the browser fetches it alongside the page's other
 * scripts: the first connection attempt starts as soon as the page hydrates,
 * instead of after a second round trip for the chunk.
 */
const RoomApp = dynamic(() => import("@/components/room/room-app").then((module) => module.RoomApp), {
  // Only seen when arriving by a client-side navigation, while the chunk downloads.
  loading: () => <LoadingRoom />,
});

export function RoomLoader(props: { room: string; user: RoomUser; initialConnection?: RoomConnectionInfo | null }) {
  return (
    <LoadFailureBoundary>
      <RoomApp {...props} />
      <SlowLoadNotice untilHydrated />
    </LoadFailureBoundary>
  );
}

function LoadingRoom() {
  return (
    <div className="space-y-3">
      <ConnectingView phase="loading" />
      <SlowLoadNotice />
    </div>
  );
}

const noSubscription = () => () => {};

/**
 * If the room's code never runs (offline, blocked, a dev server still
 * compiling), a notice with a plain reload link fades in after 20 s by CSS
 * alone, so it works even when the page's JavaScript never does. The
 * server-rendered copy (`untilHydrated`) goes away once the page hydrates.
 */
function SlowLoadNotice({ untilHydrated = false }: { untilHydrated?: boolean }) {
  const hydrated = useSyncExternalStore(
    noSubscription,
    () => true,
    () => false,
  );
  if (untilHydrated && hydrated) return null;
  return (
    <Alert
      tone="warning"
      data-testid="room-load-slow"
      className="invisible mx-auto mt-3 max-w-md animate-[appear_0s_20s_forwards] space-y-2"
    >
      <p>The room is taking longer than usual to load.</p>
      <a href="" className="font-medium underline">
        Reload
      </a>
    </Alert>
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
