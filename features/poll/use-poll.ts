"use client";

import { useMemo } from "react";
import { castVote, pollDocument, startPoll, tallyPoll } from "@/features/poll/poll-document";
import { useRoom } from "@/lib/room/use-room";
import { useRoomDocument } from "@/lib/room/use-room-document";

/** The room's poll, counted for this user, with the two things a person can do to it. */
export function usePoll() {
  // Votes are keyed by the signed-in user, so two tabs of one person count once.
  const { user } = useRoom();
  const document = useRoomDocument(pollDocument);
  const tally = useMemo(() => tallyPoll(document.data, user.id), [document.data, user.id]);
  return {
    ...document,
    tally,
    start: (question: string, options: string[]) => document.mutate(startPoll(question, options)),
    vote: (option: string) => (tally ? document.mutate(castVote(user.id, tally.round, option)) : false),
  };
}
