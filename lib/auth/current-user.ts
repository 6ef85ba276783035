import "server-only";
import { cache } from "react";
import { auth } from "@/auth";
import type { SessionUser } from "@/lib/auth/session-user";

/** The signed-in user for this request; one `auth()` per request however many components ask. */
export const currentUser = cache(async (): Promise<SessionUser | null> => (await auth())?.user ?? null);
