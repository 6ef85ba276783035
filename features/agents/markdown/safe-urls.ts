/**
 * Which URLs in an agent's markdown may become a link or an image. Agent text
 * is untrusted: only absolute web and mail addresses pass, so `javascript:`,
 * `data:`, `vbscript:`, `file:`, protocol-relative and page-relative URLs
 * (which would act on this app with the person's cookies) never do.
 */

const LINK_PROTOCOLS = new Set(["http:", "https:", "mailto:"]);
const IMAGE_PROTOCOLS = new Set(["http:", "https:"]);
const MAX_URL_LENGTH = 2048;

function parseAbsolute(value: unknown): URL | null {
  if (typeof value !== "string" || value.length > MAX_URL_LENGTH) return null;
  // Browsers strip these before resolving a URL; so does this check (`java\nscript:`).
  const trimmed = value.replace(/[\u0000-\u0020\u007f-\u009f]/g, "");
  if (!/^[a-z][a-z0-9+.-]*:/i.test(trimmed)) return null;
  try {
    return new URL(trimmed);
  } catch {
    return null;
  }
}

/** The link's address if it may be opened (in a new tab), else null. */
export function safeLinkHref(href: unknown): string | null {
  const url = parseAbsolute(href);
  return url && LINK_PROTOCOLS.has(url.protocol) ? url.href : null;
}

/** An image's address and host if it may be loaded once the person asks for it, else null. */
export function safeImageSource(src: unknown): { url: string; host: string } | null {
  const url = parseAbsolute(src);
  return url && IMAGE_PROTOCOLS.has(url.protocol) && url.host ? { url: url.href, host: url.host } : null;
}
