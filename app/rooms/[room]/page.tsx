import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { auth } from "@/auth";
import { RoomLoader } from "@/components/room/room-loader";
import { parseRoomName } from "@/lib/room-name";
import { sessionUser } from "@/lib/session-user";
import { signInUrl } from "@/lib/sign-in-url";

type Params = Promise<{ room: string }>;

function decodeRoomParam(raw: string): string | null {
  try {
    return decodeURIComponent(raw);
  } catch {
    return null;
  }
}

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const room = decodeRoomParam((await params).room);
  return { title: room === null ? "Invalid room" : `#${room}` };
}

export default async function RoomPage({ params }: { params: Params }) {
  const { room: rawRoom } = await params;

  // proxy.ts already redirects signed-out visitors; this is the real check.
  const user = sessionUser(await auth());
  if (!user) redirect(signInUrl(`/rooms/${rawRoom}`));

  const parsed = parseRoomName(decodeRoomParam(rawRoom) ?? "");
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

  // key: switching rooms remounts the connection, closing the old socket.
  return <RoomLoader key={parsed.room} room={parsed.room} user={user} />;
}
