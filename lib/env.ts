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

/**
 * Treat `FOO=` (empty or blank) the same as unset: .env files and dashboards
 * produce it. Other strings arrive trimmed.
 */
function unset<T extends z.ZodType>(schema: T) {
  return z.preprocess((value) => {
    if (typeof value !== "string") return value;
    const trimmed = value.trim();
    return trimmed === "" ? undefined : trimmed;
  }, schema);
}

const optional = unset(z.string().optional());
const nodeEnv = z.enum(["development", "production", "test"]).catch("development");
const roomName = z.string().max(ROOM_NAME_MAX_LENGTH).regex(ROOM_NAME_PATTERN);
/** A base URL; a trailing slash is dropped so paths can be appended. */
const baseUrl = (protocol: RegExp, error: string) =>
  unset(
    z
      .url({ protocol, error })
      .transform((url) => url.replace(/\/+$/, ""))
      .optional(),
  );

const roomList = z
  .string()
  .transform((value) =>
    value
      .split(",")
      .map((room) => room.trim())
      .filter(Boolean),
  )
  .pipe(z.array(roomName).min(1, { error: "list at least one room" }));

const authSchema = z.object({
  NODE_ENV: nodeEnv,
  VERCEL_ENV: optional,
  AUTH_SECRET: optional,
  AUTH_GITHUB_ID: optional,
  AUTH_GITHUB_SECRET: optional,
  AUTH_DEV_LOGIN: unset(
    z
      .string()
      .transform((value) => value.toLowerCase())
      .pipe(z.enum(["true", "false"]))
      .optional(),
  ),
});

const meshagentSchema = z.object({
  NODE_ENV: nodeEnv,
  MESHAGENT_API_KEY: optional,
  MESHAGENT_PROJECT_ID: optional,
  MESHAGENT_KEY_ID: optional,
  MESHAGENT_SECRET: optional,
  MESHAGENT_API_URL: baseUrl(/^(wss?|https?)$/, "must be a ws://, wss://, http:// or https:// URL"),
  MESHAGENT_ROOMS: unset(roomList.optional()),
  MESHAGENT_DEFAULT_ROOM: unset(roomName.default("lobby")),
  MESHAGENT_TOKEN_TTL_SECONDS: unset(z.coerce.number().int().min(30).max(86_400).default(600)),
  DEV_ROOM_URL: baseUrl(/^wss?$/, "must be a ws:// or wss:// URL"),
  DEV_ROOM_PORT: unset(z.coerce.number().int().min(1).max(65_535).default(7707)),
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
 * Whether any MeshAgent credentials are set. If so they are used (or reported
 * as incomplete), and the local dev room server is neither started nor used.
 */
export function hasMeshAgentCredentials(env: MeshAgentEnv): boolean {
  return Boolean(env.MESHAGENT_API_KEY || env.MESHAGENT_SECRET || env.MESHAGENT_PROJECT_ID || env.MESHAGENT_KEY_ID);
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
