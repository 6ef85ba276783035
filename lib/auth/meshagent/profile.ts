import "server-only";
import { z } from "zod";
import { normalizeDisplayName } from "@/lib/shared/display-name";

/** A profile is a handful of short strings; anything bigger is not one and is not read further. */
export const PROFILE_MAX_BYTES = 16 * 1024;

/** What the app keeps of `GET /accounts/profiles/me`. */
export interface MeshAgentProfile {
  id: string;
  name: string;
  email?: string;
}

/** Why a profile was refused; sign-in-failure.ts turns it into the message the sign-in page shows. */
type ProfileProblem = "id" | "markup";

/** Thrown when MeshAgent's profile cannot be used to sign anyone in. */
class MeshAgentProfileError extends Error {
  readonly problem: ProfileProblem;
  constructor(problem: ProfileProblem, detail: string) {
    super(`MeshAgent profile unusable: ${detail}`);
    this.name = "MeshAgentProfileError";
    this.problem = problem;
  }
}

// Ids become part of the session's user id (`meshagent:<id>`): one short token, no spaces or controls.
const id = z.string().regex(/^[\w.:@-]{1,128}$/u);
// Long names are cut (and then bounded like every name), not refused: the body cap already bounds the work.
const optionalText = z
  .string()
  .transform((value) => value.slice(0, 1024))
  .optional()
  .catch(undefined);
const email = z.email().max(320).optional().catch(undefined);

const profileSchema = z.object({
  id,
  email,
  first_name: optionalText.nullable().catch(undefined),
  last_name: optionalText.nullable().catch(undefined),
});

/**
 * A tag, a comment or a declaration: `<b`, `</i`, `<!--`, `<?`. Not every `<`
 * ("Ann <3", "a < b"). React would escape markup anyway, but a name that
 * carries it is an attack or a broken profile, and the person would be shown
 * under a name they never chose, so sign-in stops and says why.
 */
const MARKUP = /<[!?/]?[a-z]|<!--/i;

/**
 * MeshAgent's profile, parsed at the edge: an id is required and a name with
 * markup is refused; first and last name become one display name (line
 * breaks and invisible characters dropped, bounded like every name in the
 * app), else the email, else a neutral label.
 */
export function parseMeshAgentProfile(value: unknown): MeshAgentProfile {
  const parsed = profileSchema.safeParse(value);
  if (!parsed.success) {
    const idIssue = parsed.error.issues.some((issue) => issue.path[0] === "id");
    throw new MeshAgentProfileError("id", idIssue ? "missing or invalid id" : "not an object");
  }
  const profile = parsed.data;
  const fullName = [profile.first_name, profile.last_name].filter(Boolean).join(" ");
  if (MARKUP.test(fullName)) throw new MeshAgentProfileError("markup", "markup in the name");
  const name =
    normalizeDisplayName(fullName) ?? (profile.email ? normalizeDisplayName(profile.email) : null) ?? "MeshAgent user";
  return { id: profile.id, name, ...(profile.email ? { email: profile.email } : {}) };
}
