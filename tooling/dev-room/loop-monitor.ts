// How long the event loop is held, in wall time and in CPU time. Wall-clock
// delay alone is dominated by other processes on a busy machine; the CPU spent
// between two consecutive ticks of a 10 ms timer is what this process itself
// did while nothing else in it could run.

import { monitorEventLoopDelay } from "node:perf_hooks";

export interface LoopBlocking {
  /** Longest wall-clock delay of a timer, ms. */
  delayMaxMs: number;
  delayP99Ms: number;
  /** Most process CPU time spent between two ticks of the 10 ms probe timer, ms. */
  busyCpuMaxMs: number;
}

export interface LoopMonitor {
  read(): LoopBlocking;
  reset(): void;
  stop(): void;
}

const TICK_MS = 10;

export function startLoopMonitor(): LoopMonitor {
  const delay = monitorEventLoopDelay({ resolution: TICK_MS });
  delay.enable();
  const cpuMs = () => {
    const { user, system } = process.cpuUsage();
    return (user + system) / 1000;
  };
  let last = cpuMs();
  let busyCpuMaxMs = 0;
  const timer = setInterval(() => {
    const now = cpuMs();
    // The tick itself costs a little; what exceeds one tick's worth is work that held the loop.
    busyCpuMaxMs = Math.max(busyCpuMaxMs, now - last);
    last = now;
  }, TICK_MS);
  timer.unref();
  return {
    read: () => ({
      delayMaxMs: delay.max / 1e6,
      delayP99Ms: delay.percentile(99) / 1e6,
      busyCpuMaxMs,
    }),
    reset: () => {
      delay.reset();
      busyCpuMaxMs = 0;
      last = cpuMs();
    },
    stop: () => {
      clearInterval(timer);
      delay.disable();
    },
  };
}
