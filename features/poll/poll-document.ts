import { defineRoomDocument, type DocumentEdit, type RootSnapshot } from "@/lib/room/room-document";
import { POLL_PATH } from "@/lib/shared/room-paths";

export const MAX_OPTIONS = 4;
export const MAX_TEXT = 200;

/**
 * The room's poll: the root holds the question and a `round` id; options and
 * votes carry the round they belong to, so a new poll (a new round) replaces
 * the old one even if someone votes in the old one at the same moment.
 */
export const pollDocument = defineRoomDocument(
  POLL_PATH,
  {
    root: "poll",
    elements: {
      poll: {
        description: "the room's poll",
        attributes: { round: "string", question: "string" },
        children: ["option", "vote"],
      },
      option: { description: "an answer", attributes: { round: "string", text: "string" } },
      vote: { description: "one person's answer", attributes: { round: "string", voter: "string", option: "string" } },
    },
  },
  { maxText: MAX_TEXT },
);

type Poll = RootSnapshot<typeof pollDocument.declaration>;
type Edit = DocumentEdit<typeof pollDocument.declaration>;

export interface PollTally {
  round: string;
  question: string;
  options: { id: string; text: string; votes: number }[];
  /** The option this voter chose, if any. */
  mine: string | null;
}

/**
 * The current poll, counted. Anyone with the grant can write anything here,
 * so counting is where the rules hold: one vote per voter id (the last of a
 * voter's votes in document order, the same order for everyone), only for
 * options of this round.
 */
export function tallyPoll(poll: Poll | null, voter: string): PollTally | null {
  const { round, question } = poll?.attributes ?? {};
  if (!poll || !round || !question) return null;
  const options = poll.children
    .flatMap((child) =>
      child.tag === "option" && child.attributes.round === round && child.attributes.text
        ? [{ id: child.id, text: child.attributes.text }]
        : [],
    )
    .slice(0, MAX_OPTIONS);
  const choices = new Map<string, string>();
  for (const child of poll.children) {
    const { round: of, voter: who, option } = child.tag === "vote" ? child.attributes : {};
    if (of === round && who && options.some((o) => o.id === option)) choices.set(who, option as string);
  }
  const counts = [...choices.values()];
  return {
    round,
    question,
    options: options.map((option) => ({ ...option, votes: counts.filter((choice) => choice === option.id).length })),
    mine: choices.get(voter) ?? null,
  };
}

/** Replaces whatever poll there was with a new one. */
export const startPoll =
  (question: string, options: string[]): Edit =>
  (root, current) => {
    for (const child of current.children) root.find(child)?.remove();
    const round = crypto.randomUUID();
    root.set({ round, question: question.trim().slice(0, MAX_TEXT) });
    for (const text of options.slice(0, MAX_OPTIONS))
      root.append("option", { round, text: text.trim().slice(0, MAX_TEXT) });
  };

/** Sets this voter's vote in `round`: their earlier vote moves, and a second one (another tab) is never added. */
export const castVote =
  (voter: string, round: string, option: string): Edit =>
  (root, current) => {
    const mine = current.children.filter(
      (child) => child.tag === "vote" && child.attributes.round === round && child.attributes.voter === voter,
    );
    if (mine.length === 0) root.append("vote", { round, voter, option });
    for (const vote of mine) root.find(vote)?.set({ option });
  };
