// @meshagent/meshagent 0.35.8 prints `GOT RESPONSE <object>` for every reply the
// room sends; an agent that sends a message per reply would drown its own log.

let installed = false;

export function silenceSdkResponseLogs(): void {
  if (installed) return;
  installed = true;
  const log = console.log.bind(console);
  console.log = (...args: unknown[]) => {
    if (args[0] === "GOT RESPONSE") return;
    log(...args);
  };
}
