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
