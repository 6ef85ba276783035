import type { Metadata } from "next";
import Link from "next/link";
import { notFound, redirect } from "next/navigation";
import { RoomLoader } from "@/components/room/room-loader";
import { currentUser } from "@/lib/auth/current-user";
import { parseRoomName } from "@/lib/shared/room-name";
import { signInUrl } from "@/lib/shared/sign-in-url";

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
  const { room } = await params;
  const decoded = decodeRoom(room);
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
        <p className="text-zinc-600 dark:text-zinc-400">{parsed.message}</p>
        <Link href="/" className="text-sm font-medium underline">
          Pick another room
        </Link>
      </div>
    );
  }

  // key: switching rooms remounts the connection, closing the old socket.
  return <RoomLoader key={parsed.room} room={parsed.room} userName={user.name} />;
}
