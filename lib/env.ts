import { z } from "zod";
import { ConfigError } from "@/lib/errors";
import { ROOM_NAME_PATTERN, ROOM_NAME_MAX_LENGTH } from "@/lib/room-name";

/**
 * Every environment variable the app reads, validated with zod.
 *
 * Read lazily (inside functions, never at import time) so that `next build`
 * succeeds with no environment at all: Vercel builds before anyone has checked
 * that the variables are complete. A missing or malformed variable surfaces as
 * a ConfigError that names it, at the moment it is needed.
 */

/** Treat `FOO=` (empty) the same as unset: .env files and dashboards produce it. */
const optional = z.preprocess(
  (value) => (typeof value === "string" && value.trim() === "" ? undefined : value),
  z.string().trim().optional(),
);

const roomList = z
  .string()
  .transform((value) =>
    value
      .split(",")
      .map((room) => room.trim())
      .filter(Boolean),
  )
  .pipe(
    z.array(z.string().max(ROOM_NAME_MAX_LENGTH).regex(ROOM_NAME_PATTERN)).min(1, {
      error: "list at least one room",
    }),
  );

const authSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).catch("development"),
  VERCEL_ENV: optional,
  AUTH_SECRET: optional,
  AUTH_GITHUB_ID: optional,
  AUTH_GITHUB_SECRET: optional,
  AUTH_DEV_LOGIN: z.preprocess(
    (value) => (typeof value === "string" ? value.trim().toLowerCase() || undefined : value),
    z.enum(["true", "false"]).optional(),
  ),
});

const meshagentSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).catch("development"),
  MESHAGENT_API_KEY: optional,
  MESHAGENT_PROJECT_ID: optional,
  MESHAGENT_KEY_ID: optional,
  MESHAGENT_SECRET: optional,
  MESHAGENT_API_URL: z.preprocess(
    (value) => (typeof value === "string" && value.trim() !== "" ? value.trim().replace(/\/+$/, "") : undefined),
    z
      .url({ protocol: /^(wss?|https?)$/, error: "must be a ws://, wss://, http:// or https:// URL" })
      .optional(),
  ),
  MESHAGENT_ROOMS: z.preprocess((value) => (value === "" ? undefined : value), roomList.optional()),
  MESHAGENT_DEFAULT_ROOM: z.preprocess(
    (value) => (typeof value === "string" && value.trim() !== "" ? value.trim() : undefined),
    z.string().max(ROOM_NAME_MAX_LENGTH).regex(ROOM_NAME_PATTERN).default("lobby"),
  ),
  MESHAGENT_TOKEN_TTL_SECONDS: z.preprocess(
    (value) => (value === "" ? undefined : value),
    z.coerce.number().int().min(30).max(86_400).default(600),
  ),
  DEV_ROOM_URL: z.preprocess(
    (value) => (typeof value === "string" && value.trim() !== "" ? value.trim().replace(/\/+$/, "") : undefined),
    z.url({ protocol: /^wss?$/, error: "must be a ws:// or wss:// URL" }).optional(),
  ),
  DEV_ROOM_PORT: z.preprocess(
    (value) => (value === "" ? undefined : value),
    z.coerce.number().int().min(1).max(65_535).default(7707),
  ),
  DEV_ROOM_SECRET: optional,
});

export type AuthEnv = z.infer<typeof authSchema>;
export type MeshAgentEnv = z.infer<typeof meshagentSchema>;
type Source = Record<string, string | undefined>;

function parse<T extends z.ZodType>(schema: T, source: Source): z.infer<T> {
  const result = schema.safeParse(source);
  if (result.success) return result.data;
  const variables = [...new Set(result.error.issues.map((issue) => String(issue.path[0])))];
  const details = result.error.issues.map((issue) => `${String(issue.path[0])} ${issue.message}`).join("; ");
  throw new ConfigError(variables, `Invalid environment variable(s): ${details}`);
}

export function readAuthEnv(source: Source = process.env): AuthEnv {
  return parse(authSchema, source);
}

export function readMeshAgentEnv(source: Source = process.env): MeshAgentEnv {
  return parse(meshagentSchema, source);
}

/**
 * Dev sign-in (a name, no password) is on by default in development and off in
 * production builds unless AUTH_DEV_LOGIN=true is set explicitly. Even then it
 * stays off on a Vercel production deployment, where it can only be a mistake.
 */
export function isDevLoginEnabled(env: AuthEnv): boolean {
  if (env.NODE_ENV !== "production") return env.AUTH_DEV_LOGIN !== "false";
  return env.AUTH_DEV_LOGIN === "true" && env.VERCEL_ENV !== "production";
}

export function isGitHubEnabled(env: AuthEnv): boolean {
  return Boolean(env.AUTH_GITHUB_ID && env.AUTH_GITHUB_SECRET);
}

/**
 * What is missing for sign-in to work at all, by variable name. Shown on the
 * sign-in page and logged at start-up, so a half-configured deployment says
 * what to set instead of failing with a generic error.
 */
export function authConfigProblems(env: AuthEnv): string[] {
  const problems: string[] = [];
  if (env.NODE_ENV === "production" && !env.AUTH_SECRET) problems.push("AUTH_SECRET");
  if (Boolean(env.AUTH_GITHUB_ID) !== Boolean(env.AUTH_GITHUB_SECRET)) {
    problems.push(env.AUTH_GITHUB_ID ? "AUTH_GITHUB_SECRET" : "AUTH_GITHUB_ID");
  }
  if (!isGitHubEnabled(env) && !isDevLoginEnabled(env)) {
    problems.push("AUTH_GITHUB_ID", "AUTH_GITHUB_SECRET");
  }
  return [...new Set(problems)];
}
