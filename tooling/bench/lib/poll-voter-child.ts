/**
 * Child process of the poll benchmark: a few voters, each a real SDK client
 * (the native-codec build the browser gets, sdk-node.ts) running the page's
 * own document code: a RoomDocumentSession with the poll's castVote and
 * tallyPoll. Commands come as JSON lines on stdin, answers go as JSON lines
 * on stdout prefixed with POLL_CHILD (anything else there is the SDK's noise).
 *
 * Env: POLL_ROOM_URL (ws://host:port/rooms/<room>), POLL_VOTERS (JSON
 * [{name, jwt}]). Prints {type:"ready"} once every voter has the poll
 * document open.
 */

import readline from "node:readline";
import { performance } from "node:perf_hooks";
import { castVote, pollDocument, startPoll, tallyPoll } from "../../../features/poll/poll-document";
import { RoomDocumentSession, type SyncHost } from "../../../lib/room/room-document";
import { exitWithParent } from "./child-lifetime";
import { ANSWER_PREFIX, type PollAnswer, type PollCommand } from "./poll-voter-protocol";
import { loadNodeSdk } from "./sdk-node";

interface Voter {
  name: string;
  session: RoomDocumentSession<typeof pollDocument.declaration>;
  dispose(): void;
}

const now = () => performance.timeOrigin + performance.now();
const answer = (message: PollAnswer) => process.stdout.write(`${ANSWER_PREFIX}${JSON.stringify(message)}\n`);
const tally = (voter: Voter) => tallyPoll(voter.session.store.getState().read?.root ?? null, voter.name);

/** Resolves with the epoch ms at which `done` first held for each voter (checked on every document update). */
function whenAll(voters: Voter[], done: (voter: Voter) => boolean, timeoutMs: number): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const at = voters.map((voter) => (done(voter) ? now() : Number.NaN));
    let left = at.filter(Number.isNaN).length;
    // Each voter is checked when its own document changes, as its page would re-render.
    const unsubscribes = voters.map((voter, i) =>
      voter.session.store.subscribe(() => {
        if (!Number.isNaN(at[i]) || !done(voter)) return;
        at[i] = now();
        if (--left === 0) finish();
      }),
    );
    const timer = setTimeout(() => {
      unsubscribes.forEach((unsubscribe) => unsubscribe());
      reject(new Error(`${at.filter(Number.isNaN).length} of ${voters.length} voters never got there`));
    }, timeoutMs);
    function finish() {
      clearTimeout(timer);
      unsubscribes.forEach((unsubscribe) => unsubscribe());
      resolve(at);
    }
    if (left === 0) finish();
  });
}

async function join(url: string, name: string, jwt: string): Promise<Voter> {
  const { Protocol, RoomClient, WebSocketProtocolChannel } = await loadNodeSdk();
  const room = new RoomClient({ protocol: new Protocol({ channel: new WebSocketProtocolChannel({ url, jwt }) }) });
  await room.start();
  const session = new RoomDocumentSession(pollDocument);
  session.attach(room as unknown as SyncHost);
  return { name, session, dispose: () => room.dispose() };
}

async function burst(voters: Voter[], command: Extract<PollCommand, { type: "burst" }>): Promise<PollAnswer> {
  const mine = voters.filter((voter) => voter.name in command.picks);
  const seen = tally(mine[0]);
  if (!seen) throw new Error("no poll to vote in");
  const optionIds = seen.options.map((option) => option.id);
  const right = (voter: Voter) => {
    const counts = tally(voter);
    return (
      counts?.mine === optionIds[command.picks[voter.name]] &&
      counts.options.every((option, o) => option.votes === command.expected[o])
    );
  };
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, command.at - now())));
  const cpu = process.cpuUsage();
  // The same tick for every voter of this process: the closest a script gets to people clicking at once.
  for (const voter of mine)
    voter.session.mutate(castVote(voter.name, seen.round, optionIds[command.picks[voter.name]]));
  const at = await whenAll(mine, right, command.timeoutMs);
  const used = process.cpuUsage(cpu);
  return { type: "converged", at, cpuMicros: used.user + used.system };
}

async function main(): Promise<void> {
  const url = process.env.POLL_ROOM_URL ?? "";
  const roster = JSON.parse(process.env.POLL_VOTERS ?? "[]") as { name: string; jwt: string }[];
  // The SDK logs every applied change and chunk response; stdout carries the answers.
  console.log = () => {};
  const voters: Voter[] = [];
  exitWithParent(() => voters.forEach((voter) => voter.dispose()));
  for (const { name, jwt } of roster) voters.push(await join(url, name, jwt));
  await whenAll(voters, (voter) => voter.session.store.getState().phase === "ready", 60_000);
  answer({ type: "ready" });

  const lines = readline.createInterface({ input: process.stdin });
  for await (const line of lines) {
    const command = JSON.parse(line) as PollCommand;
    try {
      if (command.type === "start-poll") {
        voters[0].session.mutate(startPoll(command.question, command.options));
        answer({ type: "done" });
      } else if (command.type === "await-options") {
        await whenAll(voters, (voter) => tally(voter)?.options.length === command.count, 30_000);
        answer({ type: "done" });
      } else {
        answer(await burst(voters, command));
      }
    } catch (error) {
      answer({ type: "failed", message: error instanceof Error ? error.message : String(error) });
    }
  }
}

main().catch((error: unknown) => {
  answer({ type: "failed", message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  process.exit(1);
});
