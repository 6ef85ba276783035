/**
 * Legacy chatbot thread paths, `.threads/<agent name>/<participant name>.thread`:
 * the layout MeshAgent's chatbot uses, named after who the person is in the
 * room. The room vouches for a participant's name (it comes from their
 * token) and nothing else, so that is what the agent checks a path against
 * (issue 19 M6; agent/README.md "Whose thread is it?"). Shared by the room
 * page and the demo agent. Both parts are names from outside, so each becomes
 * one safe path segment: anything but unreserved URL characters is
 * percent-encoded, and "." / ".." cannot appear as a whole segment. Names
 * that are already safe stay as they are.
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

export function agentThreadPath(agentName: string, participantName: string): string {
  return `.threads/${safePathSegment(agentName)}/${safePathSegment(participantName)}.thread`;
}
