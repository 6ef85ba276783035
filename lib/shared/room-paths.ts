// The room paths the browser token grants (lib/participant-scope.ts), apart from
// the scope so client code can use them without pulling the SDK's token code
// (and jose) into the room page.

/**
 * Room files (chat attachments) live under this folder. Storage grants match
 * by prefix (StorageGrant.matches), so the trailing "/" keeps "files-old/..."
 * out. Paths are room-relative: no leading "/".
 */
export const ROOM_FILES_PREFIX = "files/";

/** The room's one shared notes document, opened with room.sync.open. Sync grants match this path exactly. */
export const SHARED_NOTES_PATH = "notes/shared.notes";

/** The room's live poll (features/poll). */
export const POLL_PATH = "poll/current.poll";

/**
 * Every document a browser may open (read and write): lib/participant-scope.ts
 * grants exactly these, and useRoomDocument refuses any other path in
 * development, so a missing grant is found before the room refuses it.
 */
export const ROOM_DOCUMENT_PATHS: readonly string[] = [SHARED_NOTES_PATH, POLL_PATH];
