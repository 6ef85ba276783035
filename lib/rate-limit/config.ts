import { z } from "zod";
import { ConfigError } from "@/lib/server/errors";

/**
 * Rate-limit settings from the environment. Every limit counts requests per
 * window (RATE_LIMIT_WINDOW_SECONDS) and is checked both per signed-in user
 * (or per attempted name, for sign-in) and per client IP address.
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

const RATE_LIMIT_DEFAULTS = {
  RATE_LIMIT_WINDOW_SECONDS: 60,
  RATE_LIMIT_ROOM_CONNECTION_PER_USER: 60,
  RATE_LIMIT_ROOM_CONNECTION_PER_IP: 300,
  RATE_LIMIT_SIGN_IN_PER_NAME: 10,
  RATE_LIMIT_SIGN_IN_PER_IP: 60,
} as const;

type Source = Record<string, string | undefined>;

const count = (max: number) =>
  z.preprocess(
    (value) => (typeof value === "string" && value.trim() !== "" ? Number(value.trim()) : undefined),
    z.number().int().min(1).max(max).optional(),
  );

const schema = z.object({
  RATE_LIMIT_WINDOW_SECONDS: count(86_400),
  RATE_LIMIT_ROOM_CONNECTION_PER_USER: count(1_000_000),
  RATE_LIMIT_ROOM_CONNECTION_PER_IP: count(1_000_000),
  RATE_LIMIT_SIGN_IN_PER_NAME: count(1_000_000),
  RATE_LIMIT_SIGN_IN_PER_IP: count(1_000_000),
  REDIS_URL: z.preprocess(
    (value) => (typeof value === "string" && value.trim() !== "" ? value.trim() : undefined),
    z.url({ protocol: /^rediss?$/, error: "must be a redis:// or rediss:// URL" }).optional(),
  ),
});

/** Throws a ConfigError naming the bad variables (the route answers 503 not_configured). */
export function readRateLimitConfig(source: Source = process.env): RateLimitConfig {
  const parsed = schema.safeParse(source);
  if (!parsed.success) {
    const variables = [...new Set(parsed.error.issues.map((issue) => String(issue.path[0])))];
    throw new ConfigError(
      variables,
      `Invalid environment variable(s): ${variables.join(", ")} (limits are whole numbers of at least 1; REDIS_URL is redis:// or rediss://).`,
    );
  }
  const env = parsed.data;
  const pick = (name: keyof typeof RATE_LIMIT_DEFAULTS) => env[name] ?? RATE_LIMIT_DEFAULTS[name];
  return {
    windowSeconds: pick("RATE_LIMIT_WINDOW_SECONDS"),
    roomConnectionPerUser: pick("RATE_LIMIT_ROOM_CONNECTION_PER_USER"),
    roomConnectionPerIp: pick("RATE_LIMIT_ROOM_CONNECTION_PER_IP"),
    signInPerName: pick("RATE_LIMIT_SIGN_IN_PER_NAME"),
    signInPerIp: pick("RATE_LIMIT_SIGN_IN_PER_IP"),
    redisUrl: env.REDIS_URL,
  };
}
