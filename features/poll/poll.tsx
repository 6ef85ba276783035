"use client";

import { useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { ConfirmPrompt } from "@/components/ui/confirm-button";
import { Input } from "@/components/ui/input";
import { MAX_OPTIONS, MAX_TEXT } from "@/features/poll/poll-document";
import { usePoll } from "@/features/poll/use-poll";
import type { DocumentPhase } from "@/lib/room/room-document";

const STATUS: Record<DocumentPhase, string> = {
  opening: "Opening the poll…",
  ready: "Everyone in the room votes live; one vote each.",
  offline: "Reconnecting… voting is paused until the room is back.",
  failed: "The poll could not be opened.",
};

const votes = (count: number) => `${count} ${count === 1 ? "vote" : "votes"}`;

/** The room's live poll: ask a question, everyone votes once, counts update live (a room document underneath). */
export function Poll() {
  const poll = usePoll();
  const { tally } = poll;

  return (
    <section
      aria-labelledby="poll-heading"
      data-phase={poll.phase}
      className="flex flex-col gap-4 rounded-xl border border-zinc-200 bg-white p-4 dark:border-zinc-800 dark:bg-zinc-900"
    >
      <h2 id="poll-heading" className="text-sm font-semibold">
        Poll
      </h2>
      <p role="status" className="text-xs text-zinc-700 dark:text-zinc-300">
        {STATUS[poll.phase]}
        {poll.error ? ` ${poll.error}` : null}
      </p>
      {poll.phase === "failed" ? (
        <Button variant="secondary" className="self-start" onClick={poll.retry}>
          Try again
        </Button>
      ) : null}
      {tally ? (
        <div className="flex flex-col gap-2">
          <h3 className="break-words font-medium">{tally.question}</h3>
          <ul className="flex flex-col gap-2" aria-label="Options">
            {tally.options.map((option) => (
              <li key={option.id} data-testid="poll-option" className="flex items-center gap-3">
                <Button
                  variant={tally.mine === option.id ? "primary" : "secondary"}
                  aria-pressed={tally.mine === option.id}
                  disabled={!poll.writable}
                  onClick={() => poll.vote(option.id)}
                  className="max-w-full justify-start break-words text-left"
                >
                  {option.text}
                </Button>
                <span className="text-sm text-zinc-700 tabular-nums dark:text-zinc-300">{votes(option.votes)}</span>
              </li>
            ))}
          </ul>
        </div>
      ) : poll.phase === "ready" ? (
        <p className="text-sm text-zinc-700 dark:text-zinc-300">No poll yet: ask the room something.</p>
      ) : null}
      <NewPollForm replaces={tally !== null} disabled={!poll.writable} onStart={poll.start} />
    </section>
  );
}

function NewPollForm(props: {
  replaces: boolean;
  disabled: boolean;
  onStart: (question: string, options: string[]) => boolean;
}) {
  const [question, setQuestion] = useState("");
  const [options, setOptions] = useState<string[]>(Array(MAX_OPTIONS).fill(""));
  const [confirming, setConfirming] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const filled = options.map((option) => option.trim()).filter(Boolean);

  function start() {
    setConfirming(false);
    if (!props.onStart(question, filled)) return;
    setQuestion("");
    setOptions(Array(MAX_OPTIONS).fill(""));
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    if (!question.trim() || filled.length < 2) {
      setProblem("Write a question and at least two options.");
      return;
    }
    setProblem(null);
    // A new poll replaces the old one for everyone, votes included: ask first.
    if (props.replaces) setConfirming(true);
    else start();
  }

  return (
    <form onSubmit={submit} className="flex flex-col gap-2 border-t border-zinc-200 pt-4 dark:border-zinc-800">
      <h3 className="text-sm font-medium">{props.replaces ? "Start a new poll" : "Start a poll"}</h3>
      <label className="flex flex-col gap-1 text-sm">
        Question
        <Input value={question} maxLength={MAX_TEXT} onChange={(event) => setQuestion(event.target.value)} />
      </label>
      {options.map((option, index) => (
        <label key={index} className="flex flex-col gap-1 text-sm">
          Option {index + 1}
          <Input
            value={option}
            maxLength={MAX_TEXT}
            onChange={(event) => setOptions(options.map((old, at) => (at === index ? event.target.value : old)))}
          />
        </label>
      ))}
      {problem ? (
        <p role="alert" className="text-sm text-red-700 dark:text-red-300">
          {problem}
        </p>
      ) : null}
      {confirming ? (
        <ConfirmPrompt
          question="Replace the current poll?"
          detail="This replaces the current poll and its votes for everyone."
          confirmLabel="Replace poll"
          disabled={props.disabled}
          onConfirm={start}
          onCancel={() => setConfirming(false)}
        />
      ) : (
        <Button type="submit" disabled={props.disabled} className="self-start">
          Start poll
        </Button>
      )}
    </form>
  );
}
