import "server-only";
import { headers } from "next/headers";
import { cache } from "react";
import { readSessionUser } from "@/lib/auth/session-cookie";
import type { SessionUser } from "@/lib/auth/session-user";
import { serverEnv } from "@/lib/server/env";

/**
 * The signed-in user for this request, read once however many components ask.
 * The same verified cookie read as the credentials route: `auth()` would also
 * re-encrypt a rolled cookie that a server component cannot send back, on the
 * critical path of every page (the room page's first byte among them).
 * Cookies still roll where they can be set: proxy.ts and /api/auth.
 */
export const currentUser = cache(async (): Promise<SessionUser | null> =>
  readSessionUser(await headers(), serverEnv().env),
);
