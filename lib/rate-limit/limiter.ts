import "server-only";
import { Redis } from "ioredis";
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from "rate-limiter-flexible";
import { AppError } from "@/lib/server/errors";
import { readRateLimitConfig, type RateLimitConfig } from "@/lib/rate-limit/config";
import type { ReadEnv } from "@/lib/env";
import { serverEnv } from "@/lib/server/env";
import { runDetached } from "@/lib/rate-limit/detached-scope";

/** What is being limited; each has a per-user (or per-name) and a per-IP budget. */
export type RateLimitScope = "room-connection" | "sign-in";

export interface RateLimitKeys {
  ip: string;
  /** Signed-in user id, or the name someone tries to sign in with. */
  user?: string | null;
}

/** Plain data, not an error class: the limiter is shared by bundles that each have their own AppError. */
export type RateLimitVerdict = { allowed: true } | { allowed: false; scope: RateLimitScope; retryAfterSeconds: number };

export interface RateLimiter {
  /** Counts one request and says whether it is within every budget. */
  check(scope: RateLimitScope, keys: RateLimitKeys): Promise<RateLimitVerdict>;
  close(): Promise<void>;
}

const MESSAGES: Record<RateLimitScope, string> = {
  "room-connection": "Too many room connection requests. Wait a moment and try again.",
  "sign-in": "Too many sign-in attempts. Wait a moment and try again.",
};

/**
 * Builds the limiters for one configuration. With a Redis URL the counters
 * live in Redis, so every instance (serverless or not) shares one budget; if
 * Redis cannot be reached the requests are counted in this instance's memory
 * instead (rate-limiter-flexible's insurance limiter) rather than failing.
 */
export function createRateLimiter(config: RateLimitConfig): RateLimiter {
  let redis: Redis | null = null;
  if (config.redisUrl) {
    redis = new Redis(config.redisUrl, {
      // A slow or absent Redis must not hold up sign-in: fail fast, fall back to memory.
      connectTimeout: 2_000,
      commandTimeout: 1_000,
      maxRetriesPerRequest: 1,
    });
    let reported = false;
    redis.on("error", (error: Error) => {
      if (reported) return;
      reported = true;
      console.error(`[rate-limit] Redis unavailable, counting in memory: ${error.message}`);
    });
    redis.on("ready", () => {
      reported = false;
    });
  }

  const make = (keyPrefix: string, points: number): RateLimiterAbstract => {
    const options = { keyPrefix: `rl:${keyPrefix}`, points, duration: config.windowSeconds };
    const memory = new RateLimiterMemory(options);
    return redis ? new RateLimiterRedis({ ...options, storeClient: redis, insuranceLimiter: memory }) : memory;
  };

  const limiters: Record<RateLimitScope, { user: RateLimiterAbstract; ip: RateLimiterAbstract }> = {
    "room-connection": {
      user: make("room-connection:user", config.roomConnectionPerUser),
      ip: make("room-connection:ip", config.roomConnectionPerIp),
    },
    "sign-in": {
      user: make("sign-in:name", config.signInPerName),
      ip: make("sign-in:ip", config.signInPerIp),
    },
  };

  return {
    async check(scope, keys) {
      const { user, ip } = limiters[scope];
      // One budget after the other, the key the client can vary least first: a request the first budget
      // refuses is counted against nothing else, so a flood adds no keys (issue 19 M5). Sign-in: the
      // address (the name is whatever was typed). Room credentials: the signed-in user (the address is
      // whatever X-Forwarded-For says when forwarded headers are trusted).
      const byIp = [ip, keys.ip] as const;
      const byUser = [user, keys.user] as const;
      let retryMs = 0;
      for (const [limiter, key] of scope === "sign-in" ? [byIp, byUser] : [byUser, byIp]) {
        if (key) retryMs = await consume(limiter, key);
        if (retryMs > 0) break;
      }
      if (retryMs === 0) return { allowed: true };
      return { allowed: false, scope, retryAfterSeconds: Math.max(1, Math.ceil(retryMs / 1000)) };
    },
    async close() {
      if (redis) await redis.quit().catch(() => redis?.disconnect());
    },
  };
}

/** Milliseconds until `key` may try again, 0 if this request is within the budget. */
async function consume(limiter: RateLimiterAbstract, key: string): Promise<number> {
  try {
    // Outside the request's async context: the memory store's expiry timers must not keep the request alive.
    await runDetached(() => limiter.consume(key));
    return 0;
  } catch (error) {
    if (error instanceof RateLimiterRes) return Math.max(1, error.msBeforeNext);
    // A store error with no insurance left: count the request as allowed, but say so.
    console.error("[rate-limit] limiter failed, request allowed", error);
    return 0;
  }
}

// One limiter per server process, shared by route handlers and server actions
// (which Next may bundle separately, each with its own copy of this module).
const GLOBAL_KEY = Symbol.for("meshagent-starter.rate-limiter");
type Holder = { [GLOBAL_KEY]?: { read: ReadEnv; signature: string; limiter: RateLimiter } };

function processLimiter(): RateLimiter {
  const holder = globalThis as Holder;
  const current = holder[GLOBAL_KEY];
  // serverEnv() hands out the same object until a variable changes: only then re-read the limits.
  const read = serverEnv();
  if (current?.read === read) return current.limiter;
  const config = readRateLimitConfig(read);
  const signature = JSON.stringify(config);
  if (current && current.signature === signature) {
    current.read = read;
    return current.limiter;
  }
  void current?.limiter.close();
  const limiter = createRateLimiter(config);
  holder[GLOBAL_KEY] = { read, signature, limiter };
  return limiter;
}

/** The 429 answer for a refused request: AppError `rate_limited` with Retry-After. */
export function rateLimitedError(verdict: Extract<RateLimitVerdict, { allowed: false }>): AppError {
  return new AppError("rate_limited", MESSAGES[verdict.scope], { "Retry-After": String(verdict.retryAfterSeconds) });
}

/**
 * Counts one request against this process's limits (configured by RATE_LIMIT_*
 * and REDIS_URL); throws AppError `rate_limited` when a budget is spent.
 */
export async function enforceRateLimit(scope: RateLimitScope, keys: RateLimitKeys): Promise<void> {
  const verdict = await processLimiter().check(scope, keys);
  if (!verdict.allowed) throw rateLimitedError(verdict);
}
