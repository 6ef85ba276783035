"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";

/** A question asked in place, with `confirmLabel` and Cancel: for what cannot be undone. */
export function ConfirmPrompt(props: {
  question: string;
  /** What is at stake, shown beside the buttons (defaults to the question). */
  detail?: string;
  confirmLabel: string;
  onConfirm: () => void;
  onCancel: () => void;
  disabled?: boolean;
}) {
  return (
    <div role="group" aria-label={props.question} className="flex flex-wrap items-center gap-2 text-sm">
      <span>{props.detail ?? props.question}</span>
      <Button autoFocus disabled={props.disabled} onClick={props.onConfirm}>
        {props.confirmLabel}
      </Button>
      <Button variant="ghost" onClick={props.onCancel}>
        Cancel
      </Button>
    </div>
  );
}

/** A button whose first click asks `question` in place; nothing happens until the person confirms. */
export function ConfirmButton(props: {
  label: string;
  question: string;
  confirmLabel: string;
  onConfirm: () => void;
  disabled?: boolean;
}) {
  const [asking, setAsking] = useState(false);
  if (!asking || props.disabled) {
    return (
      <Button variant="secondary" disabled={props.disabled} onClick={() => setAsking(true)}>
        {props.label}
      </Button>
    );
  }
  return (
    <ConfirmPrompt
      question={props.question}
      confirmLabel={props.confirmLabel}
      onConfirm={() => {
        setAsking(false);
        props.onConfirm();
      }}
      onCancel={() => setAsking(false)}
    />
  );
}
