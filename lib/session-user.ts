import type { Session } from "next-auth";

/** The signed-in person as the room sees them. Always derived from the session, never from a request. */
export interface SessionUser {
  id: string;
  name: string;
}

export function sessionUser(session: Session | null | undefined): SessionUser | null {
  const user = session?.user;
  if (!user) return null;
  const id = user.id ?? user.email ?? user.name;
  const name = user.name?.trim() || user.email || user.id;
  if (!id || !name) return null;
  return { id, name };
}
