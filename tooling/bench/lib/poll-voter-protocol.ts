/** The poll benchmark's commands to its voter processes (poll-voter-child.ts) and their answers, one JSON line each. */

/** Answers are stdout lines with this prefix; anything else there is the SDK's noise. */
export const ANSWER_PREFIX = "POLL_CHILD ";

export type PollCommand =
  | { type: "start-poll"; question: string; options: string[] }
  | { type: "await-options"; count: number }
  | {
      type: "burst";
      /** Epoch ms (performance.timeOrigin based) at which every voter votes. */
      at: number;
      /** Index of the option each voter of this child picks, by name. */
      picks: Record<string, number>;
      /** Votes every option must show. */
      expected: number[];
      timeoutMs: number;
    };

export type PollAnswer =
  | { type: "ready" }
  | { type: "done" }
  | {
      type: "converged";
      /** Epoch ms at which each voter's tally was first right. */
      at: number[];
      /** CPU time of this process from the burst to the last voter converged (µs). */
      cpuMicros: number;
    }
  | { type: "failed"; message: string };
