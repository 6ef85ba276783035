import { pollDocument } from "@/features/poll/poll-document";
import { notesDocument } from "@/features/shared-notes/notes-document";

/**
 * Every shared document the room's features open. The local room serves each
 * with the schema declared here, whatever schema a client passes, so nobody
 * can open the app's documents first with another schema (docs/security.md).
 * Their paths are the ones the browser token grants (ROOM_DOCUMENT_PATHS).
 */
export const ROOM_DOCUMENTS = [notesDocument, pollDocument] as const;

/** path -> MeshSchema JSON, as the local room takes them (`documentSchemas`). */
export const roomDocumentSchemas = (): Record<string, unknown> =>
  Object.fromEntries(ROOM_DOCUMENTS.map((doc) => [doc.path, doc.schema.toJson()]));
