import { parseApiKey } from "@meshagent/meshagent";
import { z } from "zod";
import { AGENT_NAME_PATTERN } from "@/agent/contract";
import { ROOM_NAME_MAX_LENGTH, ROOM_NAME_PATTERN } from "@/lib/shared/room-name";

/**
 * The one reader of every environment variable, shared by the app server
 * (through lib/server/env.ts), `npm run dev`, `npm run dev:room`, the demo
 * agent (agent/env.ts), the rate limits (lib/rate-limit/config.ts), the
 * benchmarks and the tests. Each default is written here and nowhere else.
 *
 * Pure (no `server-only`) because the tsx CLIs import it; never import it
 * from browser code. Nothing is read at import time, so `next build` needs no
 * variables.
 *
 * A bad value never throws: it becomes a problem naming the variable, and the
 * variable falls back to its safe value (dev sign-in off, the default, or
 * unset). Whoever needs it decides what a problem means (the route answers
 * 503, the sign-in page shows a notice, the CLIs exit).
 */

/** Treat `FOO=` (empty or blank) as unset: .env files and dashboards produce it. Other strings arrive trimmed. */
function unset<T extends z.ZodType>(schema: T) {
  return z.preprocess((value) => {
    if (typeof value !== "string") return value;
    const trimmed = value.trim();
    return trimmed === "" ? undefined : trimmed;
  }, schema);
}

const text = unset(z.string().optional());
const roomName = z.string().max(ROOM_NAME_MAX_LENGTH).regex(ROOM_NAME_PATTERN);

/**
 * A plain base URL: one of `protocols`, an optional path, and nothing a
 * browser would mangle or leak (no user:password, query or fragment: the room
 * URL is built by appending to it and handed to browsers). A trailing slash is
 * dropped so paths can be appended.
 */
function baseUrl(protocols: readonly string[]) {
  const expected = protocols.map((protocol) => `${protocol}://`).join(", ");
  return unset(
    z
      .string()
      .transform((value, ctx) => {
        let url: URL;
        try {
          url = new URL(value);
        } catch {
          ctx.addIssue({ code: "custom", message: `must be a URL starting with ${expected}` });
          return z.NEVER;
        }
        if (!protocols.includes(url.protocol.slice(0, -1))) {
          ctx.addIssue({ code: "custom", message: `must start with ${expected}` });
        } else if (url.username || url.password) {
          ctx.addIssue({ code: "custom", message: "must not contain a user name or password" });
        } else if (value.includes("?") || value.includes("#")) {
          ctx.addIssue({ code: "custom", message: "must not contain a query (?) or fragment (#)" });
        } else {
          return `${url.origin}${url.pathname}`.replace(/\/+$/, "");
        }
        return z.NEVER;
      })
      .optional(),
  );
}

/** `ma-<key id>-<project id>-<secret>`, decoded; refused unless every part is there. */
const apiKey = unset(
  z
    .string()
    .transform((value, ctx) => {
      try {
        const key = parseApiKey(value);
        if (key.secret.length > 0 && !/\s/.test(key.secret)) return key;
      } catch {
        // Fall through: the message must not echo the key.
      }
      ctx.addIssue({
        code: "custom",
        message: "is not a valid MeshAgent API key (expected the complete ma-… key from your MeshAgent project)",
      });
      return z.NEVER;
    })
    .optional(),
);

/** A URL of one of `protocols`, kept whole (a Redis URL carries its password). */
function url(protocols: readonly string[]) {
  const error = `must be a URL starting with ${protocols.map((protocol) => `${protocol}://`).join(" or ")}`;
  return unset(z.url({ protocol: new RegExp(`^(${protocols.join("|")})$`), error }).optional());
}

const trueOrFalse = z
  .string()
  .transform((value) => value.toLowerCase())
  .pipe(z.enum(["true", "false"], { error: 'must be "true" or "false"' }));

/** "true" or "false" (any case), read as a boolean. */
function flag(fallback: boolean) {
  return unset(trueOrFalse.transform((value) => value === "true").default(fallback));
}

function integer(min: number, max: number) {
  const error = `must be an integer between ${min} and ${max}`;
  return z.coerce.number({ error }).int({ error }).min(min, { error }).max(max, { error });
}

const roomList = z
  .string()
  .transform((value) =>
    value
      .split(",")
      .map((room) => room.trim())
      .filter(Boolean),
  )
  .pipe(z.array(roomName).min(1, { error: "must list at least one room" }));

/** Where MeshAgent cloud rooms live when MESHAGENT_API_URL is unset. */
export const MESHAGENT_CLOUD_URL = "wss://api.meshagent.com";
/** MeshAgent's OAuth and accounts API when MESHAGENT_ACCOUNTS_URL is unset. */
const MESHAGENT_ACCOUNTS_DEFAULT_URL = "https://api.meshagent.com";
export const DEFAULT_AGENT_NAME = "assistant";

const schema = {
  NODE_ENV: z.enum(["development", "production", "test"]).catch("development"),
  VERCEL_ENV: text,
  /** Set by Vercel on every deployment ("1"). */
  VERCEL: text,
  AUTH_SECRET: text,
  AUTH_URL: baseUrl(["http", "https"]),
  /** Auth.js's own switch ("true" or "1"): take the site's origin from the request's host headers. */
  AUTH_TRUST_HOST: text,
  /** Believe X-Forwarded-For/-Host/-Proto: see trustsProxy(). Unset: follow AUTH_TRUST_HOST. */
  TRUST_PROXY: unset(trueOrFalse.optional()),
  AUTH_GITHUB_ID: text,
  AUTH_GITHUB_SECRET: text,
  AUTH_DEV_LOGIN: unset(trueOrFalse.optional()),
  /** An OAuth client registered in MeshAgent Studio; both set: "Sign in with MeshAgent" is on. */
  AUTH_MESHAGENT_ID: text,
  AUTH_MESHAGENT_SECRET: text,
  /** Base of MeshAgent's OAuth and accounts API (sign-in, profile, room lists, `user` room access). */
  MESHAGENT_ACCOUNTS_URL: unset(baseUrl(["http", "https"]).default(MESHAGENT_ACCOUNTS_DEFAULT_URL)),
  /** Longest the server waits for MeshAgent's accounts API (token, profile, rooms, connect). */
  MESHAGENT_ACCOUNTS_TIMEOUT_SECONDS: unset(integer(1, 120).default(10)),
  /** Who issues room tokens: `server` (minted here with the API key or secret) or `user` (MeshAgent, for the signed-in user). */
  MESHAGENT_ROOM_ACCESS: unset(z.enum(["server", "user"], { error: 'must be "server" or "user"' }).default("server")),
  MESHAGENT_API_KEY: apiKey,
  MESHAGENT_PROJECT_ID: text,
  MESHAGENT_KEY_ID: text,
  MESHAGENT_SECRET: text,
  MESHAGENT_API_URL: baseUrl(["ws", "wss", "http", "https"]),
  MESHAGENT_ROOMS: unset(roomList.optional()),
  MESHAGENT_DEFAULT_ROOM: unset(roomName.default("lobby")),
  MESHAGENT_TOKEN_TTL_SECONDS: unset(integer(30, 86_400).default(600)),
  // Development only (the local room server): never read in production.
  DEV_ROOM_URL: baseUrl(["ws", "wss"]),
  /** 0 asks the OS for any free port. */
  DEV_ROOM_PORT: unset(integer(0, 65_535).default(7707)),
  DEV_ROOM_SECRET: text,
  /** Room files and documents of the local room; default .meshagent-dev/ in the repo. */
  DEV_ROOM_DATA_DIR: text,
  DEV_ROOM_MAX_UPLOAD_BYTES: unset(integer(0, 2 ** 40).default(25 * 1024 * 1024)),
  /** Largest shared document (encoded Yjs state); above ~750 KiB SDK 0.35.8's echo of it no longer fits one message. */
  DEV_ROOM_MAX_DOCUMENT_BYTES: unset(integer(1024, 2 ** 40).default(640 * 1024)),
  /** Everything one room may keep in storage (files): a participant cannot fill the developer's disk. */
  DEV_ROOM_MAX_ROOM_BYTES: unset(integer(0, 2 ** 50).default(1024 ** 3)),
  /** How long the local room waits for a participant-hosted tool to answer before failing the call (ms). */
  DEV_ROOM_TOOL_CALL_TIMEOUT_MS: unset(integer(1, 3_600_000).default(30_000)),
  /** The interface `npm run dev` has `next dev` listen on; unset keeps it on this machine (127.0.0.1). */
  HOST: text,
  // Rate limits: requests per window, per user (or attempted name) and per IP.
  RATE_LIMIT_WINDOW_SECONDS: unset(integer(1, 86_400).default(60)),
  RATE_LIMIT_ROOM_CONNECTION_PER_USER: unset(integer(1, 1_000_000).default(60)),
  RATE_LIMIT_ROOM_CONNECTION_PER_IP: unset(integer(1, 1_000_000).default(300)),
  RATE_LIMIT_SIGN_IN_PER_NAME: unset(integer(1, 1_000_000).default(10)),
  RATE_LIMIT_SIGN_IN_PER_IP: unset(integer(1, 1_000_000).default(60)),
  /** Shared rate-limit store for all instances; unset: each instance counts in its own memory. */
  REDIS_URL: url(["redis", "rediss"]),
  // The demo agent (agent/): a separate program, never read by the app server.
  /** Participant name, also its thread folder. */
  AGENT_NAME: unset(
    z
      .string()
      .regex(AGENT_NAME_PATTERN, { error: "must be 1-64 letters, digits, '.', '_' or '-'" })
      .default(DEFAULT_AGENT_NAME),
  ),
  /** Rooms to join; unset: MESHAGENT_DEFAULT_ROOM. */
  AGENT_ROOMS: unset(roomList.pipe(z.array(z.string()).max(32, { error: "must list at most 32 rooms" })).optional()),
  /** Longest a reply may take before the user is told. */
  AGENT_REPLY_TIMEOUT_SECONDS: unset(integer(1, 3600).default(60)),
  /** Set: answer with a model; unset: the offline brain. */
  OPENAI_API_KEY: text,
  /** Any OpenAI-compatible server (Ollama, vLLM, ...); unset: OpenAI. */
  OPENAI_BASE_URL: baseUrl(["http", "https"]),
  OPENAI_MODEL: unset(z.string().max(200, { error: "must be at most 200 characters" }).default("gpt-4o-mini")),
  /** false for servers that cannot stream. */
  AGENT_MODEL_STREAMING: flag(true),
  /** false: `npm run dev` does not start the demo agent. */
  DEV_AGENT: flag(true),
};

export type EnvName = keyof typeof schema;
export type Env = { [K in EnvName]: z.infer<(typeof schema)[K]> };
export const ENV_NAMES = Object.keys(schema) as EnvName[];
/** Read only by the demo agent: the app server ignores their problems. */
export const AGENT_ONLY: readonly EnvName[] = [
  "AGENT_NAME",
  "AGENT_ROOMS",
  "AGENT_REPLY_TIMEOUT_SECONDS",
  "OPENAI_API_KEY",
  "OPENAI_BASE_URL",
  "OPENAI_MODEL",
  "AGENT_MODEL_STREAMING",
  "DEV_AGENT",
];
const DEV_ONLY: readonly EnvName[] = [
  "DEV_ROOM_URL",
  "DEV_ROOM_PORT",
  "DEV_ROOM_SECRET",
  "DEV_ROOM_DATA_DIR",
  "DEV_ROOM_MAX_UPLOAD_BYTES",
  "DEV_ROOM_MAX_DOCUMENT_BYTES",
  "DEV_ROOM_MAX_ROOM_BYTES",
  "DEV_ROOM_TOOL_CALL_TIMEOUT_MS",
  "HOST",
];

/** Where an invalid value falls back to something other than its default: fail closed. */
const FALLBACK: Partial<Record<EnvName, unknown>> = { AUTH_DEV_LOGIN: "false", TRUST_PROXY: "false" };

interface EnvProblem {
  variable: EnvName;
  message: string;
}

export interface ReadEnv {
  env: Env;
  /** Invalid values, one per variable; empty when all is well. */
  problems: EnvProblem[];
}

type Source = Record<string, string | undefined>;

export function readEnv(source: Source = process.env): ReadEnv {
  const env = {} as Record<EnvName, unknown>;
  const problems: EnvProblem[] = [];
  const production = schema.NODE_ENV.parse(source.NODE_ENV) === "production";
  for (const name of ENV_NAMES) {
    const field = schema[name] as z.ZodType;
    const fallback = () => field.parse(FALLBACK[name]);
    // A production server never uses the local room: its variables can neither help nor break it.
    if (production && DEV_ONLY.includes(name)) {
      env[name] = fallback();
      continue;
    }
    const result = field.safeParse(source[name]);
    if (result.success) {
      env[name] = result.data;
    } else {
      problems.push({ variable: name, message: `${name} ${result.error.issues[0]?.message ?? "is invalid"}` });
      env[name] = fallback();
    }
  }
  return { env: env as Env, problems };
}

/**
 * Whether any MeshAgent credentials are set. If so they are used (or reported
 * as incomplete), and the local dev room server is neither started nor used.
 * An invalid MESHAGENT_API_KEY counts: it was meant for the cloud.
 */
export function hasMeshAgentCredentials({ env, problems }: ReadEnv): boolean {
  return Boolean(
    env.MESHAGENT_API_KEY ||
    env.MESHAGENT_SECRET ||
    env.MESHAGENT_PROJECT_ID ||
    env.MESHAGENT_KEY_ID ||
    problems.some((problem) => problem.variable === "MESHAGENT_API_KEY"),
  );
}

/**
 * The one rule for forwarded headers (docs/security.md): whether the app
 * believes X-Forwarded-For (the client address for per-IP rate limits) and
 * X-Forwarded-Host/-Proto (the public origin). `TRUST_PROXY=true` or `false`
 * decides. Unset, they are believed where Auth.js already trusts the host:
 * `AUTH_TRUST_HOST=true` (or `1`), on Vercel (`VERCEL` is set; its edge
 * writes these headers itself), and outside production. An invalid
 * TRUST_PROXY reads as false.
 */
export function trustsProxy(env: Env): boolean {
  if (env.TRUST_PROXY !== undefined) return env.TRUST_PROXY === "true";
  const authTrustHost = env.AUTH_TRUST_HOST?.toLowerCase();
  return authTrustHost === "true" || authTrustHost === "1" || Boolean(env.VERCEL) || env.NODE_ENV !== "production";
}

/** One line naming every problem, for CLIs that stop on them. */
export function describeProblems(problems: readonly EnvProblem[]): string {
  return `Invalid environment variable(s): ${problems.map((problem) => problem.message).join("; ")}`;
}
