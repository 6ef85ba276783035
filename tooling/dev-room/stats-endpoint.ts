// GET /stats (19 L8): who is in which room, names included, only for a caller
// that shows the room secret (`Authorization: Bearer <secret>`: tests, the
// benchmarks, the developer with the secret); anyone else gets counts only.

import { timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";

export interface StatsCounts {
  sockets: number;
  rooms: number;
  participants: number;
}

function showsSecret(req: IncomingMessage, secret: string): boolean {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? "");
  if (!match) return false;
  const given = Buffer.from(match[1], "utf8");
  const expected = Buffer.from(secret, "utf8");
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** The full listing for the secret's holder, counts for anyone else. */
export function statsBody<T extends { sockets: number; rooms: Record<string, unknown[]> }>(
  req: IncomingMessage,
  secret: string,
  stats: T,
): T | StatsCounts {
  if (showsSecret(req, secret)) return stats;
  const rooms = Object.values(stats.rooms);
  return { sockets: stats.sockets, rooms: rooms.length, participants: rooms.reduce((n, r) => n + r.length, 0) };
}
