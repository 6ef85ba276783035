import type { HTMLAttributes } from "react";
import { cn } from "@/lib/cn";

type Tone = "info" | "warning" | "error";

const TONES: Record<Tone, string> = {
  info: "border-zinc-300 bg-white text-zinc-800 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-200",
  warning: "border-amber-300 bg-amber-50 text-amber-950 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-100",
  error: "border-red-300 bg-red-50 text-red-900 dark:border-red-800 dark:bg-red-950 dark:text-red-100",
};

/** A boxed message. Give it role="alert" or role="status" where it appears while the page is in use. */
export function Alert({ tone = "info", className, ...props }: HTMLAttributes<HTMLDivElement> & { tone?: Tone }) {
  return <div className={cn("rounded-lg border px-4 py-2 text-sm", TONES[tone], className)} {...props} />;
}
