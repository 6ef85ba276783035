"use client";

import { Button } from "@/components/ui/button";
import { useRaisedHands } from "@/features/raise-hand/use-raised-hands";

export function RaiseHand() {
  const { raised, setRaised, raisedBy } = useRaisedHands();
  const names = [...(raised ? ["You"] : []), ...raisedBy.map((participant) => participant.name)];

  return (
    <section aria-labelledby="raise-hand-heading" className="space-y-2">
      <h2
        id="raise-hand-heading"
        className="text-sm font-semibold uppercase tracking-wide text-zinc-700 dark:text-zinc-300"
      >
        Hands up <span className="font-normal">({names.length})</span>
      </h2>
      <ul data-testid="raised-hands" className="space-y-1 text-sm">
        {names.map((name, index) => (
          <li key={`${index}:${name}`} data-testid="raised-hand" className="truncate">
            ✋ {name}
          </li>
        ))}
      </ul>
      <Button variant="secondary" aria-pressed={raised} onClick={() => setRaised(!raised)}>
        {raised ? "Lower hand" : "Raise hand"}
      </Button>
    </section>
  );
}
