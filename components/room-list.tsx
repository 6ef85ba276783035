import Link from "next/link";
import { headers } from "next/headers";
import { currentUser } from "@/lib/auth/current-user";
import { currentMeshAgentGrant } from "@/lib/auth/meshagent/session-grant";
import { serverEnv } from "@/lib/server/env";
import { joinableRooms } from "@/lib/server/room-list/joinable-rooms";

/** The rooms the signed-in person could join, each a link that joins it. Loading it never breaks the page. */
export async function RoomList() {
  const user = await currentUser();
  if (!user) return <p className="text-sm text-zinc-600 dark:text-zinc-400">Sign in to see the rooms you can join.</p>;
  const read = serverEnv();
  const requestHeaders = await headers();
  const result = await joinableRooms(user, read, async () => {
    return (await currentMeshAgentGrant(requestHeaders, read.env))?.accessToken ?? null;
  });
  if (!result.ok) {
    return (
      <p data-testid="room-list-error" className="text-sm text-zinc-600 dark:text-zinc-400">
        Could not load the list of rooms: {result.reason}.
      </p>
    );
  }
  if (result.rooms.length === 0) {
    return <p className="text-sm text-zinc-600 dark:text-zinc-400">No rooms with people or files in them yet.</p>;
  }
  return (
    <ul data-testid="room-list" className="divide-y divide-zinc-200 text-sm dark:divide-zinc-800">
      {result.rooms.map((room) => (
        <li key={room.name} data-testid="room-list-entry" className="flex items-center justify-between gap-2 py-2">
          <Link href={`/rooms/${room.name}`} prefetch={false} className="font-medium hover:underline">
            #{room.name}
          </Link>
          {room.participants !== undefined ? (
            <span className="text-zinc-600 dark:text-zinc-400">
              {room.participants === 0 ? "nobody here" : `${room.participants} here`}
            </span>
          ) : null}
        </li>
      ))}
    </ul>
  );
}
