"use client";

import { Button } from "@/components/ui/button";

/** Last-resort boundary: a short message and a retry, never a stack trace. */
export default function ErrorPage({ reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <div role="alert" className="mx-auto max-w-md space-y-3 py-12 text-center">
      <h1 className="text-xl font-semibold">Something went wrong</h1>
      <p className="text-sm text-zinc-600 dark:text-zinc-400">
        The page could not be shown. The details are in the server logs.
      </p>
      <Button onClick={reset}>Try again</Button>
    </div>
  );
}
