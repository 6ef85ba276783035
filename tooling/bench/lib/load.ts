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

/**
 * Several URLs measured in alternation: `rounds` rounds, each giving every
 * URL `seconds / rounds`, so load from elsewhere on a shared machine hits
 * all of them alike. One warm-up per URL first.
 */
export async function loadAlternating(
  urls: string[],
  opts: Omit<LoadOptions, "url" | "amount">,
  rounds: number,
): Promise<LoadResult[]> {
  const base = { headers: opts.headers, connections: opts.connections, pipelining: 1, timeout: 10 };
  if (opts.warmupSeconds > 0) for (const url of urls) await run({ ...base, url, duration: opts.warmupSeconds });
  const perRound = Math.max(1, Math.round(opts.seconds / rounds));
  const totals = urls.map(() => ({ ok: 0, non2xx: 0, errors: 0, timeouts: 0, duration: 0, latencies: [] as number[] }));
  const autocannonRuns = urls.map(() => [] as autocannon.Result[]);
  for (let round = 0; round < rounds; round++) {
    for (const [i, url] of urls.entries()) {
      const total = totals[i];
      const result = await run({ ...base, url, duration: perRound }, (ms, status) => {
        if (status >= 200 && status < 300) total.latencies.push(ms);
      });
      total.ok += result["2xx"];
      total.non2xx += result.non2xx;
      total.errors += result.errors;
      total.timeouts += result.timeouts;
      total.duration += result.duration;
      autocannonRuns[i].push(result);
    }
  }
  return totals.map((total, i) => ({
    requestsPerSecond: total.ok / total.duration,
    p50Ms: percentile(total.latencies, 50),
    p99Ms: percentile(total.latencies, 99),
    ok: total.ok,
    non2xx: total.non2xx,
    errors: total.errors,
    timeouts: total.timeouts,
    autocannon: {
      requestsAverage: total.ok / total.duration,
      p50: Math.max(...autocannonRuns[i].map((r) => r.latency.p50)),
      p99: Math.max(...autocannonRuns[i].map((r) => r.latency.p99)),
      duration: total.duration,
    },
  }));
}
