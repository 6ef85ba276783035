/**
 * The live poll (features/poll) under a burst: 50 voters on the local room,
 * each with the page's own document code (RoomDocumentSession over a real SDK
 * client, the poll's castVote and tallyPoll), all vote at the same moment,
 * then all change their vote at the same moment. Measured: from the burst
 * until every voter's tally shows every count right (and its own vote), per
 * round. Goal 7: every voter converges within 1 s.
 *
 * The room runs as `npm run dev:room` starts it, in its own process; the
 * voters in BENCH_POLL_PROCESSES processes (default 10: five voters each), as
 * in a real room the clients run in browsers and not next to the server.
 * Each process votes for all its
 * voters in one tick at an agreed moment. Voters are SDK clients, not browser
 * pages: the document code is the page's, the rendering is not measured.
 * Alongside the time: the room's and the voters' CPU time per burst, and the
 * sync messages the room received and sent (from its /usage).
 *
 * Run alone: npx tsx tooling/bench/poll-votes.ts (BENCH_POLL_VOTERS, BENCH_POLL_PROCESSES)
 */

import { randomBytes } from "node:crypto";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import readline from "node:readline";
import { fileURLToPath } from "node:url";
import { ParticipantToken } from "@meshagent/meshagent";
import { participantApiScope } from "../../lib/participant-scope";
import type { DocumentUsage } from "../dev-room/room-services";
import { ANSWER_PREFIX, type PollAnswer, type PollCommand } from "./lib/poll-voter-protocol";
import { processCpuSeconds } from "./lib/proc-stats";
import { startTsChild, stopAll, type Managed } from "./lib/proc";
import { startDevRoomCli, type DevRoomCli } from "./lib/dev-room-cli";
import { percentile } from "./lib/stats";
import { goal, row, type BenchResult } from "./lib/table";

const ROOM = "bench-poll";
const OPTIONS = ["Red", "Green", "Blue", "Yellow"];
/** Time from sending a burst command to the moment everyone votes: every process has it by then. */
const BURST_LEAD_MS = 500;
const now = () => performance.timeOrigin + performance.now();

class VoterProcess {
  private readonly answers: PollAnswer[] = [];
  private waiting: ((answer: PollAnswer) => void) | null = null;

  constructor(
    readonly proc: Managed,
    readonly names: string[],
  ) {
    const lines = readline.createInterface({ input: proc.child.stdout! });
    lines.on("line", (line) => {
      if (!line.startsWith(ANSWER_PREFIX)) return;
      const answer = JSON.parse(line.slice(ANSWER_PREFIX.length)) as PollAnswer;
      if (this.waiting) this.waiting(answer);
      else this.answers.push(answer);
    });
  }

  /** The next answer; rejects on "failed", on exit, or after `timeoutMs`. */
  next(timeoutMs = 60_000): Promise<PollAnswer> {
    const queued = this.answers.shift();
    if (queued)
      return queued.type === "failed" ? Promise.reject(this.failure(queued.message)) : Promise.resolve(queued);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(this.failure(`no answer within ${timeoutMs} ms`)), timeoutMs);
      void this.proc.exited.then((code) => reject(this.failure(`exited (${code})`)));
      this.waiting = (answer) => {
        this.waiting = null;
        clearTimeout(timer);
        if (answer.type === "failed") reject(this.failure(answer.message));
        else resolve(answer);
      };
    });
  }

  send(command: PollCommand): void {
    this.proc.child.stdin!.write(`${JSON.stringify(command)}\n`);
  }

  private failure(message: string): Error {
    return new Error(`${this.proc.name}: ${message}\n${this.proc.output().slice(-2000)}`);
  }
}

async function voterToken(name: string, secret: string): Promise<string> {
  const token = new ParticipantToken({ name });
  token.addRoomGrant(ROOM);
  token.addRoleGrant("user");
  token.addApiGrant(participantApiScope());
  return token.toJwt({ token: secret });
}

async function documentUsage(room: DevRoomCli): Promise<DocumentUsage> {
  const response = await fetch(`http://127.0.0.1:${room.port}/usage`, { signal: AbortSignal.timeout(5000) });
  return ((await response.json()) as { documents: DocumentUsage }).documents;
}

export interface BurstResult {
  /** From the agreed moment until the last voter's tally was right. */
  lastMs: number;
  medianMs: number;
  roomCpuMs: number;
  /** CPU time of all voter processes together, from the burst until each process's last voter was right. */
  votersCpuMs: number;
  updatesIn: number;
  echoesDropped: number;
  relayMessages: number;
  relayBatches: number;
}

async function burst(
  room: DevRoomCli,
  processes: VoterProcess[],
  names: string[],
  pick: (index: number) => number,
): Promise<BurstResult> {
  const expected = OPTIONS.map((_, o) => names.filter((_, i) => pick(i) === o).length);
  const before = await documentUsage(room);
  const roomCpu = processCpuSeconds(room.pid);
  const at = now() + BURST_LEAD_MS;
  for (const voters of processes) {
    const picks = Object.fromEntries(voters.names.map((name) => [name, pick(names.indexOf(name))]));
    voters.send({ type: "burst", at, picks, expected, timeoutMs: 30_000 });
  }
  const answers = await Promise.all(processes.map((voters) => voters.next()));
  const roomCpuMs = (processCpuSeconds(room.pid) - roomCpu) * 1000;
  // Relays and echoes still in flight after the last voter converged are part of the burst's cost.
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const after = await documentUsage(room);
  const times: number[] = [];
  let votersCpuMs = 0;
  for (const answer of answers) {
    if (answer.type !== "converged") throw new Error(`unexpected answer ${answer.type}`);
    times.push(...answer.at.map((t) => t - at));
    votersCpuMs += answer.cpuMicros / 1000;
  }
  return {
    lastMs: Math.max(...times),
    medianMs: percentile(times, 50),
    roomCpuMs,
    votersCpuMs,
    updatesIn: after.updatesIn - before.updatesIn,
    echoesDropped: after.updatesAddingNothing - before.updatesAddingNothing,
    relayMessages: after.relayMessages - before.relayMessages,
    relayBatches: after.relayBatches - before.relayBatches,
  };
}

export async function pollVotesBench(voterCount = 50, processCount = 10) {
  const secret = randomBytes(24).toString("hex");
  const room = await startDevRoomCli(secret);
  const started: Managed[] = [];
  try {
    const names = Array.from({ length: voterCount }, (_, i) => `voter-${i}`);
    const groups = Array.from({ length: Math.min(processCount, voterCount) }, (_, p) =>
      names.filter((_, i) => i % processCount === p),
    );
    const processes = await Promise.all(
      groups.map(async (group, p) => {
        const roster = await Promise.all(group.map(async (name) => ({ name, jwt: await voterToken(name, secret) })));
        const proc = startTsChild(`poll voters ${p}`, "tooling/bench/lib/poll-voter-child.ts", {
          POLL_ROOM_URL: `${room.url}/rooms/${ROOM}`,
          POLL_VOTERS: JSON.stringify(roster),
        });
        started.push(proc);
        return new VoterProcess(proc, group);
      }),
    );
    await Promise.all(processes.map((voters) => voters.next(120_000)));
    processes[0].send({ type: "start-poll", question: "Favourite colour?", options: OPTIONS });
    await processes[0].next();
    for (const voters of processes) voters.send({ type: "await-options", count: OPTIONS.length });
    await Promise.all(processes.map((voters) => voters.next()));

    const firstVote = await burst(room, processes, names, (i) => i % OPTIONS.length);
    const voteChange = await burst(room, processes, names, (i) => (i + 1) % OPTIONS.length);
    return { voters: voterCount, processes: processes.length, firstVote, voteChange };
  } finally {
    await Promise.allSettled([...started.map((proc) => proc.stop()), room.stop()]);
  }
}

function describe(name: string, b: BurstResult): string {
  return (
    `  ${name}: every voter right after ${b.lastMs.toFixed(0)} ms (median voter ${b.medianMs.toFixed(0)} ms); ` +
    `CPU room ${b.roomCpuMs.toFixed(0)} ms, voters ${b.votersCpuMs.toFixed(0)} ms; ` +
    `room got ${b.updatesIn} updates (${b.echoesDropped} echoes dropped), sent ${b.relayMessages} in ${b.relayBatches} batches`
  );
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const load = os.loadavg()[0];
  pollVotesBench(Number(process.env.BENCH_POLL_VOTERS) || 50, Number(process.env.BENCH_POLL_PROCESSES) || 10).then(
    async (r) => {
      console.log(
        `poll bench: ${r.voters} voters in ${r.processes} processes, ${os.cpus().length} cores, ` +
          `load ${load.toFixed(1)} at start, ${os.loadavg()[0].toFixed(1)} at the end`,
      );
      console.log(describe("all voted at once", r.firstVote));
      console.log(describe("all changed vote ", r.voteChange));
      await stopAll();
      process.exit(0);
    },
    async (error: unknown) => {
      console.error(`poll bench failed: ${error instanceof Error ? error.stack : String(error)}`);
      await stopAll();
      process.exit(1);
    },
  );
}

/** `npm run bench -- poll`. */
export async function pollVotes(): Promise<Omit<BenchResult, "durationMs">> {
  const r = await pollVotesBench(
    Number(process.env.BENCH_POLL_VOTERS) || 50,
    Number(process.env.BENCH_POLL_PROCESSES) || 10,
  );
  const worst = Math.max(r.firstVote.lastMs, r.voteChange.lastMs);
  const rows = (what: string, b: BurstResult) => [
    row(`${what}: every voter sees every count right after (ms)`, b.lastMs, "", "< 1000", b.lastMs < 1000),
    row(`${what}: median voter (ms)`, b.medianMs, ""),
    row(`${what}: room server CPU (ms)`, b.roomCpuMs, ""),
    row(`${what}: voter processes' CPU, all together (ms)`, b.votersCpuMs, ""),
    row(`${what}: sync updates the room received / echoes among them`, `${b.updatesIn} / ${b.echoesDropped}`, ""),
    row(`${what}: sync messages the room sent (batches)`, `${b.relayMessages} (${b.relayBatches})`, ""),
  ];
  return {
    name: "poll",
    title: `The live poll: ${r.voters} voters vote at the same moment, then all change their vote (local room, page document code)`,
    rows: [...rows("all vote at once", r.firstVote), ...rows("all change their vote", r.voteChange)],
    goals: [
      goal(
        "7",
        `poll: ${r.voters} voters at once, every count right everywhere`,
        worst,
        `${worst.toFixed(0)} ms`,
        "< 1 s",
        worst < 1000,
      ),
    ],
    notes: [
      `Room server in its own process; voters are SDK clients (native-codec build, as in the browser) running the poll's own document code, ${r.voters / r.processes} per process in ${r.processes} processes, not browser pages.`,
    ],
    details: { ...r },
  };
}
