/** Where a message line stands: ours on the way, sent or failed; or received from someone else. */
export type DeliveryStatus = "sending" | "sent" | "failed" | "received";

/** Why one of our messages never reached the room while we were disconnected. */
export const NOT_CONNECTED = "Not sent: you were disconnected from the room.";

interface DeliveredLine {
  id: string;
  own: boolean;
  status: DeliveryStatus;
  error?: string;
}

/** The lines with one of our own messages (by id) moved to `status`; the same array when there is none. */
export function withDeliveryStatus<T extends DeliveredLine>(
  lines: readonly T[],
  id: string,
  status: DeliveryStatus,
  error?: string,
): readonly T[] {
  if (!lines.some((line) => line.own && line.id === id)) return lines;
  return lines.map((line) => (line.own && line.id === id ? { ...line, status, error } : line));
}
