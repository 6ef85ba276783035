import { defineRoomDocument, type DocumentEdit, type RootSnapshot } from "@/lib/room/room-document";
import { POLL_PATH } from "@/lib/shared/room-paths";

export const MAX_OPTIONS = 4;
export const MAX_TEXT = 200;

/**
 * The room's poll: the root holds the question and a `round` id; options and
 * votes carry their round, so a new poll replaces the old one even if someone
 * votes in the old one at the same moment.
 */
export const pollDocument = defineRoomDocument(
  POLL_PATH,
  {
    root: "poll",
    elements: {
      poll: { attributes: { round: "string", question: "string" }, children: ["option", "vote"] },
      option: { attributes: { round: "string", text: "string" } },
      vote: { attributes: { round: "string", voter: "string", option: "string" } },
    },
  },
  { maxText: MAX_TEXT },
);

type Edit = DocumentEdit<typeof pollDocument.declaration>;

/**
 * The current poll, counted. Anyone with the grant can write anything here,
 * so the rules hold where votes are counted: options of this round only, one
 * vote per voter (their last in document order, the same order for everyone).
 */
export function tallyPoll(poll: RootSnapshot<typeof pollDocument.declaration> | null, voter: string) {
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
    const { round: of, voter: who, option = "" } = child.tag === "vote" ? child.attributes : {};
    if (of === round && who && options.some(({ id }) => id === option)) choices.set(who, option);
  }
  const chosen = [...choices.values()];
  const votes = (id: string) => chosen.filter((choice) => choice === id).length;
  return {
    round,
    question,
    options: options.map((option) => ({ ...option, votes: votes(option.id) })),
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
    for (const text of options.slice(0, MAX_OPTIONS)) root.append("option", { round, text: text.slice(0, MAX_TEXT) });
  };

/** This voter's vote in `round`: an earlier vote moves (every copy, if two tabs added one at once). */
export const castVote =
  (voter: string, round: string, option: string): Edit =>
  (root, current) => {
    const mine = current.children.filter(
      (child) => child.tag === "vote" && child.attributes.round === round && child.attributes.voter === voter,
    );
    if (mine.length === 0) root.append("vote", { round, voter, option });
    for (const vote of mine) root.find(vote)?.set({ option });
  };
