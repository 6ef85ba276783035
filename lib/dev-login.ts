import { z } from "zod";

export const DEV_LOGIN_PROVIDER_ID = "dev-login";
export const DISPLAY_NAME_MAX_LENGTH = 40;

/** A display name for dev sign-in: trimmed, 1-40 printable characters. */
export const displayNameSchema = z
  .string()
  .trim()
  .min(1, { error: "Enter a display name." })
  .max(DISPLAY_NAME_MAX_LENGTH, { error: `Display names are at most ${DISPLAY_NAME_MAX_LENGTH} characters.` })
  .regex(/^[^\p{Cc}\p{Cf}]+$/u, { error: "Display names cannot contain control characters." });

/** Dev users are identified by their name, so the same name is the same user across sign-ins. */
export function devUserId(name: string): string {
  return `dev:${name.toLowerCase()}`;
}
