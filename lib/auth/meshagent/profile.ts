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

/** Thrown when MeshAgent's profile cannot identify the person (no usable id). */
class MeshAgentProfileError extends Error {
  constructor(detail: string) {
    super(`MeshAgent profile unusable: ${detail}`);
    this.name = "MeshAgentProfileError";
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

/** Markup is never rendered as such (React escapes it), but a name is no place for it either. */
function cleanName(value: string): string | null {
  return normalizeDisplayName(value.replace(/<[^>]*>?/g, " "));
}

/**
 * MeshAgent's profile, parsed at the edge: an id is required; first and last
 * name become one display name (cleaned of markup, line breaks and invisible
 * characters, bounded like every name in the app), else the email, else a
 * neutral label.
 */
export function parseMeshAgentProfile(value: unknown): MeshAgentProfile {
  const parsed = profileSchema.safeParse(value);
  if (!parsed.success) {
    const idIssue = parsed.error.issues.some((issue) => issue.path[0] === "id");
    throw new MeshAgentProfileError(idIssue ? "missing or invalid id" : "not an object");
  }
  const profile = parsed.data;
  const fullName = [profile.first_name, profile.last_name].filter(Boolean).join(" ");
  const name = cleanName(fullName) ?? (profile.email ? cleanName(profile.email) : null) ?? "MeshAgent user";
  return { id: profile.id, name, ...(profile.email ? { email: profile.email } : {}) };
}
