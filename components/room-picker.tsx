"use client";

import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { Button, buttonClasses } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { ROOM_NAME_MAX_LENGTH, normalizeRoomInput, parseRoomName } from "@/lib/shared/room-name";
import Link from "next/link";

export function RoomPicker({ defaultRoom }: { defaultRoom: string }) {
  const router = useRouter();
  const [value, setValue] = useState("");
  const [error, setError] = useState<string | null>(null);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const parsed = parseRoomName(normalizeRoomInput(value));
    if (!parsed.ok) {
      setError(parsed.message);
      return;
    }
    router.push(`/rooms/${parsed.room}`);
  }

  return (
    <div className="space-y-6">
      <Link href={`/rooms/${defaultRoom}`} prefetch={false} className={buttonClasses("primary", "w-full sm:w-auto")}>
        Join #{defaultRoom}
      </Link>
      <form onSubmit={onSubmit} className="space-y-2" noValidate>
        <label htmlFor="room-name" className="text-sm font-medium">
          Or open any room
        </label>
        <div className="flex gap-2">
          <Input
            id="room-name"
            name="room"
            placeholder="design-review"
            maxLength={ROOM_NAME_MAX_LENGTH + 8}
            value={value}
            onChange={(event) => {
              setValue(event.target.value);
              setError(null);
            }}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? "room-name-error" : undefined}
          />
          <Button type="submit" variant="secondary">
            Open
          </Button>
        </div>
        {error ? (
          <p id="room-name-error" className="text-sm text-red-600 dark:text-red-400">
            {error}
          </p>
        ) : null}
      </form>
    </div>
  );
}
