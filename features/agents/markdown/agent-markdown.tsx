"use client";

import type { ComponentProps, ReactNode } from "react";
import { Streamdown, defaultRehypePlugins, type Components } from "streamdown";
import { codeHighlighter } from "@/features/agents/markdown/code-highlighter";
import { RemoteImage } from "@/features/agents/markdown/remote-image";
import { safeLinkHref } from "@/features/agents/markdown/safe-urls";

/**
 * An agent's text as markdown (GFM), rendered while it streams in with
 * Streamdown, which closes unfinished syntax as it goes. Agent text is
 * untrusted, so on top of Streamdown's sanitizing:
 * - raw HTML is dropped (`skipHtml`, and no `rehype-raw`);
 * - links open only for http(s)/mailto, in a new tab, with no opener or referrer;
 * - images load only when the person clicks them (remote-image.tsx);
 * - no style or class attribute survives sanitizing, so nothing restyles the page.
 */

const [sanitize, sanitizeSchema] = defaultRehypePlugins.sanitize as [never, object];
const [harden] = defaultRehypePlugins.harden as [never, object];

const REHYPE_PLUGINS = [
  [sanitize, sanitizeSchema],
  [
    harden,
    {
      allowedLinkPrefixes: ["*"],
      allowedImagePrefixes: ["*"],
      allowedProtocols: [],
      allowDataImages: false,
      linkBlockPolicy: "text-only",
      imageBlockPolicy: "text-only",
    },
  ],
] as NonNullable<ComponentProps<typeof Streamdown>["rehypePlugins"]>;

function SafeLink({ href, children }: { href?: unknown; children?: ReactNode }) {
  const target = safeLinkHref(href);
  if (!target) return <span data-testid="agent-link-blocked">{children}</span>;
  return (
    <a
      href={target}
      target="_blank"
      rel="noopener noreferrer"
      className="font-medium text-blue-700 underline break-words dark:text-blue-300"
    >
      {children}
    </a>
  );
}

// Streamdown's map types every entry loosely; these read only what they need.
const COMPONENTS: Components = {
  a: ({ href, children }) => <SafeLink href={href}>{children as ReactNode}</SafeLink>,
  img: ({ src, alt }) => <RemoteImage src={src} alt={alt} />,
};

const CONTROLS = {
  code: { copy: true, download: false },
  table: { copy: true, download: false, fullscreen: false },
  mermaid: false,
  image: false,
} as const;

const PLUGINS = { code: codeHighlighter };
// Constants, not literals in the JSX: Streamdown puts these in a context that every code block and table of the
// answer reads, so a new object per render re-rendered all of them on every paint of a streaming answer.
const LINK_SAFETY = { enabled: false };
// No height cap (Streamdown's default is 400 px for code, 300 px for tables): a capped block is a scroll box of its
// own, which Streamdown keeps scrolled to its end while the answer streams by reading its height every frame, a
// forced layout per table and code block (20-60 ms frames in a long answer); and a person reads the whole answer
// in the thread's one scroll.
const NO_MAX_HEIGHT = 0;

export function AgentMarkdown({ text, streaming = false }: { text: string; streaming?: boolean }) {
  return (
    <Streamdown
      className="agent-markdown min-w-0 text-sm break-words"
      skipHtml
      rehypePlugins={REHYPE_PLUGINS}
      components={COMPONENTS}
      controls={CONTROLS}
      plugins={PLUGINS}
      linkSafety={LINK_SAFETY}
      codeBlockMaxHeight={NO_MAX_HEIGHT}
      tableMaxHeight={NO_MAX_HEIGHT}
      isAnimating={streaming}
      lineNumbers={false}
    >
      {text}
    </Streamdown>
  );
}
