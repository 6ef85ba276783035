/** HTTP load with autocannon: a warm-up, then a timed run, with sub-millisecond latencies. */

import autocannon from "autocannon";
import { percentile } from "./stats";

export interface LoadOptions {
  url: string;
  headers: Record<string, string>;
  connections: number;
  warmupSeconds: number;
  seconds: number;
  /** Stop after this many requests instead of after `seconds`. */
  amount?: number;
}

export interface LoadResult {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  ok: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  /** autocannon's own (1 ms resolution) numbers, for cross-checking. */
  autocannon: { requestsAverage: number; p50: number; p99: number; duration: number };
}

function run(opts: autocannon.Options, onLatency?: (ms: number, status: number) => void): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    const instance = autocannon(opts, (error, result) => (error ? reject(error) : resolve(result)));
    if (onLatency) {
      instance.on("response", (_client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
        onLatency(responseTime, statusCode);
      });
    }
  });
}

export async function load(opts: LoadOptions): Promise<LoadResult> {
  const base = {
    url: opts.url,
    headers: opts.headers,
    connections: opts.connections,
    pipelining: 1,
    timeout: 10,
  };
  if (opts.warmupSeconds > 0) await run({ ...base, duration: opts.warmupSeconds });
  const latencies: number[] = [];
  const measured = opts.amount ? { amount: opts.amount } : { duration: opts.seconds };
  const result = await run({ ...base, ...measured }, (ms, status) => {
    if (status >= 200 && status < 300) latencies.push(ms);
  });
  return {
    requestsPerSecond: result["2xx"] / result.duration,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    ok: result["2xx"],
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    autocannon: {
      requestsAverage: result.requests.average,
      p50: result.latency.p50,
      p99: result.latency.p99,
      duration: result.duration,
    },
  };
}
