import { Suspense } from "react";
import { RoomList } from "@/components/room-list";
import { RoomPicker } from "@/components/room-picker";
import { Card } from "@/components/ui/card";
import { serverEnv } from "@/lib/server/env";

export default function HomePage() {
  return (
    <div className="grid gap-8 md:grid-cols-[1fr_22rem] md:items-start">
      <section className="space-y-4">
        <h1 className="text-3xl font-semibold tracking-tight sm:text-4xl">Meet your agents in a room</h1>
        <p className="max-w-prose text-zinc-600 dark:text-zinc-400">
          Sign in, pick a room, and you are connected to a MeshAgent room: see who is here and chat over room messaging.
          Agents that join the same room show up beside the people.
        </p>
        <ul className="list-inside list-disc space-y-1 text-sm text-zinc-600 dark:text-zinc-400">
          <li>Room credentials come from a server route; the MeshAgent secret never reaches the browser.</li>
          <li>Runs offline on a local dev room server; switch to MeshAgent cloud with environment variables.</li>
        </ul>
      </section>
      <Card>
        <h2 className="mb-4 text-lg font-semibold">Rooms</h2>
        <RoomPicker defaultRoom={serverEnv().env.MESHAGENT_DEFAULT_ROOM} />
        <h3 className="mt-6 mb-2 text-sm font-semibold">Rooms you can join</h3>
        {/* Streamed in: a slow room server or MeshAgent never holds up the page. */}
        <Suspense fallback={<p className="text-sm text-zinc-600 dark:text-zinc-400">Loading rooms…</p>}>
          <RoomList />
        </Suspense>
      </Card>
    </div>
  );
}
