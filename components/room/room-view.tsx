"use client";

import { ConnectedView } from "@/components/room/connected-view";
import { ConnectingView } from "@/components/room/connecting-view";
import { FailedView } from "@/components/room/failed-view";
import { useRoom } from "@/lib/room/use-room";

/** One switch over the session: connecting, failed, or in the room (which stays on screen while reconnecting). */
export function RoomView() {
  const { room, status, everConnected, retryNow } = useRoom();

  if (status.phase === "failed")
    return <FailedView room={room} failure={status.failure} retry={null} onRetry={retryNow} />;
  if (everConnected) return <ConnectedView />;
  if (status.phase === "retrying") {
    return <FailedView room={room} failure={status.failure} retry={status.retry} onRetry={retryNow} />;
  }
  return <ConnectingView phase={status.phase === "authorizing" ? "authorizing" : "connecting"} room={room} />;
}
