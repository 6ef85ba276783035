"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";

/**
 * A button for something that cannot be undone: the first click asks
 * `question` in place, with `confirmLabel` and Cancel; nothing happens until
 * the person confirms.
 */
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
    <div role="group" aria-label={props.question} className="flex flex-wrap items-center gap-2 text-sm">
      <span>{props.question}</span>
      <Button
        autoFocus
        onClick={() => {
          setAsking(false);
          props.onConfirm();
        }}
      >
        {props.confirmLabel}
      </Button>
      <Button variant="ghost" onClick={() => setAsking(false)}>
        Cancel
      </Button>
    </div>
  );
}
