/**
 * For the bench's own child processes: stop on SIGTERM/SIGINT, and also when
 * stdin closes, which happens when the bench process dies without cleaning up.
 */
export function exitWithParent(close: () => Promise<void> | void): void {
  let closing = false;
  const stop = () => {
    if (closing) return;
    closing = true;
    const hard = setTimeout(() => process.exit(0), 2000);
    hard.unref();
    void Promise.resolve()
      .then(close)
      .catch(() => {})
      .finally(() => process.exit(0));
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
  process.stdin.on("end", stop);
  process.stdin.on("close", stop);
  process.stdin.on("error", stop);
  process.stdin.resume();
}
