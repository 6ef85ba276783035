import type { Metadata } from "next";
import Link from "next/link";
import { headers } from "next/headers";
import { notFound, redirect } from "next/navigation";
import { RoomLoader } from "@/components/room/room-loader";
import { currentUser } from "@/lib/auth/current-user";
import { currentMeshAgentGrant } from "@/lib/auth/meshagent/session-grant";
import { serverEnv } from "@/lib/server/env";
import { clientIp } from "@/lib/rate-limit/client-ip";
import { enforceRateLimit } from "@/lib/rate-limit/limiter";
import { issueRoomConnection } from "@/lib/server/room-connection";
import { parseRoomName } from "@/lib/shared/room-name";
import { signInUrl } from "@/lib/shared/sign-in-url";

// The page carries a participant token: render it per request, never cache or prerender it.
export const dynamic = "force-dynamic";

type Params = Promise<{ room: string }>;

/** The room segment as typed; null for a malformed escape like %ZZ. */
function decodeRoom(segment: string): string | null {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const decoded = decodeRoom((await params).room);
  return { title: decoded === null ? "Room not found" : `#${decoded}` };
}

export default async function RoomPage({ params }: { params: Params }) {
  const { room: rawRoom } = await params;
  const room = decodeRoom(rawRoom);
  if (room === null) notFound();

  // proxy.ts already redirects signed-out visitors; this is the real check.
  const user = await currentUser();
  if (!user) redirect(signInUrl(`/rooms/${rawRoom}`));

  const parsed = parseRoomName(room);
  if (!parsed.ok) {
    return (
      <div role="alert" className="space-y-2">
        <h1 className="text-xl font-semibold">Invalid room name</h1>
        <p className="text-zinc-700 dark:text-zinc-300">{parsed.message}</p>
        <Link href="/" className="text-sm font-medium underline">
          Pick another room
        </Link>
      </div>
    );
  }

  // The first attempt connects with credentials minted here, saving the browser a round trip
  // after hydration; every later attempt fetches fresh ones. A refusal is left to the route,
  // which the browser then asks and reports in the failure view.
  // The page counts against the same rate limit as the route: reloading must not mint tokens without limit.
  // With MESHAGENT_ROOM_ACCESS=user a token due for renewal is left to the route, which can send the renewed cookie.
  const requestHeaders = await headers();
  const read = serverEnv();
  const initialConnection = await enforceRateLimit("room-connection", { ip: clientIp(requestHeaders), user: user.id })
    .then(() =>
      issueRoomConnection(user, parsed.room, read, async () => {
        return (await currentMeshAgentGrant(requestHeaders, read.env))?.accessToken ?? null;
      }),
    )
    .catch(() => null);

  // key: switching rooms remounts the connection, closing the old socket.
  return <RoomLoader key={parsed.room} room={parsed.room} user={user} initialConnection={initialConnection} />;
}
