import type { EnvName, ReadEnv } from "@/lib/env";
import { serverEnv } from "@/lib/server/env";
import { ConfigError } from "@/lib/server/errors";

/**
 * Rate-limit settings from the environment (schemas and defaults: lib/env.ts).
 * Every limit counts requests per window (RATE_LIMIT_WINDOW_SECONDS) and is
 * checked both per signed-in user (or per attempted name, for sign-in) and per
 * client IP address.
 */
export interface RateLimitConfig {
  windowSeconds: number;
  roomConnectionPerUser: number;
  roomConnectionPerIp: number;
  signInPerName: number;
  signInPerIp: number;
  /** Shared store for all instances; unset: each server instance counts in its own memory. */
  redisUrl: string | undefined;
}

/** The variables the limits are read from. */
const RATE_LIMIT_ENV_NAMES: readonly EnvName[] = [
  "RATE_LIMIT_WINDOW_SECONDS",
  "RATE_LIMIT_ROOM_CONNECTION_PER_USER",
  "RATE_LIMIT_ROOM_CONNECTION_PER_IP",
  "RATE_LIMIT_SIGN_IN_PER_NAME",
  "RATE_LIMIT_SIGN_IN_PER_IP",
  "REDIS_URL",
];

/** Throws a ConfigError naming the bad variables (the route answers 503 not_configured). */
export function readRateLimitConfig({ env, problems }: ReadEnv = serverEnv()): RateLimitConfig {
  const bad = problems.filter((problem) => RATE_LIMIT_ENV_NAMES.includes(problem.variable));
  if (bad.length > 0) {
    throw new ConfigError(
      bad.map((problem) => problem.variable),
      `Invalid environment variable(s): ${bad.map((problem) => problem.message).join("; ")}`,
    );
  }
  return {
    windowSeconds: env.RATE_LIMIT_WINDOW_SECONDS,
    roomConnectionPerUser: env.RATE_LIMIT_ROOM_CONNECTION_PER_USER,
    roomConnectionPerIp: env.RATE_LIMIT_ROOM_CONNECTION_PER_IP,
    signInPerName: env.RATE_LIMIT_SIGN_IN_PER_NAME,
    signInPerIp: env.RATE_LIMIT_SIGN_IN_PER_IP,
    redisUrl: env.REDIS_URL,
  };
}
