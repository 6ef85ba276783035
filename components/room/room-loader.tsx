"use client";

import dynamic from "next/dynamic";
import { ConnectingView } from "@/components/room/connecting-view";

/**
 * The MeshAgent SDK is only needed on room pages, and only in the browser:
 * load it (and the room UI) as its own chunk, after the page shell renders.
 */
// Start downloading that chunk as soon as this module runs in the browser,
// in parallel with hydration, rather than when the placeholder first renders.
if (typeof window !== "undefined") void import("@/components/room/room-connection");

const RoomConnection = dynamic(
  () => import("@/components/room/room-connection").then((module) => module.RoomConnection),
  { ssr: false, loading: () => <ConnectingView phase="loading" /> },
);

export function RoomLoader({ room, userName }: { room: string; userName: string }) {
  return <RoomConnection room={room} userName={userName} />;
}
