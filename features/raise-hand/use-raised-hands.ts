"use client";

import * as z from "zod/mini";
import { usePresenceState } from "@/lib/room/use-presence-state";

const handSchema = z.boolean();

/** Your hand (kept across reconnects) and everyone else whose hand is up. */
export function useRaisedHands() {
  const hand = usePresenceState("raise-hand", handSchema, false);
  return {
    raised: hand.value,
    setRaised: hand.setValue,
    raisedBy: hand.others.filter((other) => other.value).map((other) => other.participant),
  };
}
