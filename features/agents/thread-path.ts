/**
 * Thread paths, `.threads/<agent name>/<user id>.thread`: the layout
 * MeshAgent's chatbot uses. Both parts come from outside (a display name, an
 * identity provider's id), so each becomes one safe path segment: anything
 * but unreserved URL characters is percent-encoded, and "." / ".." cannot
 * appear as a whole segment. Names that are already safe stay as they are, so
 * an agent that builds the same path from its own name agrees with us.
 */

const UNRESERVED = /^[A-Za-z0-9._~-]$/;
const MAX_SEGMENT_LENGTH = 200;

function encodeChar(char: string): string {
  if (UNRESERVED.test(char)) return char;
  return Array.from(
    new TextEncoder().encode(char),
    (byte) => `%${byte.toString(16).toUpperCase().padStart(2, "0")}`,
  ).join("");
}

/** One path segment: never empty, never "." or "..", no separators or control characters, bounded length. */
export function safePathSegment(value: string): string {
  const encoded = Array.from(value, encodeChar)
    .join("")
    .slice(0, MAX_SEGMENT_LENGTH)
    .replace(/%[0-9A-F]?$/, "");
  if (encoded === "") return "_";
  if (/^\.{1,2}$/.test(encoded)) return encoded.replaceAll(".", "%2E");
  return encoded;
}

export function agentThreadPath(agentName: string, userId: string): string {
  return `.threads/${safePathSegment(agentName)}/${safePathSegment(userId)}.thread`;
}
