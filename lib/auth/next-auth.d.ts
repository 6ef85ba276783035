import type { SessionUser } from "@/lib/auth/session-user";

declare module "next-auth" {
  /** `session.user` is set by the session callback in lib/auth/config.ts, from userFromToken. */
  interface Session {
    user?: SessionUser;
    /** Set when the session ended by itself (a failed MeshAgent token refresh). */
    error?: string;
  }
}
