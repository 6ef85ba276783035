/**
 * `next dev`'s arguments for `npm run dev`: the user's own, plus
 * `--hostname 127.0.0.1` unless they chose an interface (`-H`/`--hostname`, or
 * HOST). Dev sign-in has no password, so the LAN is opt-in.
 */
export function nextDevArgs(args: readonly string[], host: string | undefined): string[] {
  const chosen = args.some((arg) => arg === "-H" || arg === "--hostname" || arg.startsWith("--hostname="));
  if (chosen) return [...args];
  return [...args, "--hostname", host ?? "127.0.0.1"];
}
