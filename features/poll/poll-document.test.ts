import { afterEach, beforeEach, expect, it } from "vitest";
import { castVote, pollDocument, startPoll, tallyPoll } from "@/features/poll/poll-document";
import { silenceSyncLog } from "@/tooling/dev-room/sync-test-helpers";
import { linkedDocuments, settle } from "@/tooling/testing/linked-documents";

let linked: ReturnType<typeof linkedDocuments<typeof pollDocument.declaration>> | null = null;
beforeEach(() => silenceSyncLog());
afterEach(() => linked?.dispose());

it("counts one vote per voter: two tabs voting at once, a changed vote, a new poll, and a stale round", async () => {
  linked = linkedDocuments(pollDocument, 3);
  const [tab1, tab2, bob] = linked.sessions;
  const tally = (session: typeof tab1, voter: string) => tallyPoll(session.store.getState().read?.root ?? null, voter);

  expect(tallyPoll(null, "ann")).toBeNull();
  tab1.mutate(startPoll(" Lunch? ", ["Pizza", "Sushi", "Tacos"]));
  await settle();
  const poll = tally(bob, "bob")!;
  expect(poll.question).toBe("Lunch?");
  const [pizza, sushi] = poll.options.map((option) => option.id);

  // Ann's two tabs vote at the same moment; Bob votes too.
  tab1.mutate(castVote("ann", poll.round, pizza));
  tab2.mutate(castVote("ann", poll.round, sushi));
  bob.mutate(castVote("bob", poll.round, sushi));
  await settle();
  const counted = tally(bob, "bob")!;
  expect(counted.options.reduce((sum, option) => sum + option.votes, 0)).toBe(2);
  expect(tally(tab1, "ann")).toEqual(tally(tab2, "ann"));
  expect(counted.mine).toBe(sushi);

  // Changing a vote moves every copy of it.
  tab2.mutate(castVote("ann", poll.round, pizza));
  await settle();
  expect(tally(bob, "ann")?.options.map((option) => option.votes)).toEqual([1, 1, 0]);

  // A vote for the old round arriving as a new poll starts does not count in the new one.
  bob.mutate(startPoll("Dinner?", ["Soup", "Salad"]));
  tab1.mutate(castVote("ann", poll.round, pizza));
  await settle();
  const next = tally(tab1, "ann")!;
  expect(next.question).toBe("Dinner?");
  expect(next.options.map((option) => [option.text, option.votes])).toEqual([
    ["Soup", 0],
    ["Salad", 0],
  ]);
  expect(next.mine).toBeNull();
});
