"use client";

import { useEffect, useRef, type FormEvent, type KeyboardEvent } from "react";

/**
 * What every message box here shares: Enter sends, Shift+Enter adds a line
 * (never while an IME is composing), and the list scrolls to its newest item.
 */
export function useComposer(submit: () => void, itemCount: number) {
  const listEnd = useRef<HTMLLIElement>(null);

  useEffect(() => {
    listEnd.current?.scrollIntoView({ block: "end" });
  }, [itemCount]);

  return {
    listEnd,
    onSubmit(event: FormEvent<HTMLFormElement>) {
      event.preventDefault();
      submit();
    },
    onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
      if (event.key === "Enter" && !event.shiftKey && !event.nativeEvent.isComposing) {
        event.preventDefault();
        submit();
      }
    },
  };
}
