/** The local room refuses uploads over 25 MiB by default (DEV_ROOM_MAX_UPLOAD_BYTES); checking first saves sending them. */
export const MAX_UPLOAD_BYTES = 25 * 1024 * 1024;

/** Files one chat message may carry. */
export const MAX_ATTACHMENTS = 4;

/**
 * Image types shown inline. Deliberately not SVG: it can carry script, and
 * these bytes come from other people. Anything else is only offered as a download.
 */
export const PREVIEW_TYPES = new Set(["image/png", "image/jpeg", "image/gif", "image/webp"]);

/** Larger images are offered as a download only, so a preview never pulls a huge file. */
export const MAX_PREVIEW_BYTES = 8 * 1024 * 1024;
