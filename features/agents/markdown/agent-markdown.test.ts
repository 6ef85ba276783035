import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { AgentMarkdown } from "@/features/agents/markdown/agent-markdown";
import type { HighlightResult } from "streamdown";
import { createCodeHighlighter } from "@/features/agents/markdown/code-highlighter";
import { codeTokens } from "@/features/agents/markdown/code-tokens";
import { safeImageSource, safeLinkHref } from "@/features/agents/markdown/safe-urls";

const render = (text: string, streaming = false) =>
  renderToStaticMarkup(createElement(AgentMarkdown, { text, streaming }));

/** Every element of the rendered HTML as `tag attr=value…`, for checks that must not depend on formatting. */
function tags(html: string): string[] {
  return [...html.matchAll(/<([a-z][a-z0-9-]*)([^>]*)>/gi)].map(([, tag, attributes]) => `${tag} ${attributes}`);
}

describe("AgentMarkdown renders GFM", () => {
  it("headings, emphasis, lists, tables, strikethrough, task lists and code with a copy button", () => {
    const html = render(
      [
        "# Title",
        "Some **bold** and ~~gone~~ text.",
        "- [x] done",
        "- [ ] todo",
        "",
        "| a | b |",
        "|---|---|",
        "| 1 | 2 |",
        "",
        "```ts",
        "const x: number = 1;",
        "```",
      ].join("\n"),
    );
    expect(html).toMatch(/<h1[^>]*>Title<\/h1>/);
    expect(html).toMatch(/data-streamdown="strong">bold</);
    expect(html).toMatch(/<del[^>]*>gone<\/del>/);
    expect(html).toMatch(/<input[^>]*type="checkbox"/);
    expect(html).toMatch(/<table[\s\S]*<td[^>]*>1<\/td>/);
    expect(html).toContain('data-language="ts"');
    expect(html).toContain("const x: number = 1;");
    expect(html).toMatch(/<button[^>]*aria-label="Copy Code"/);
    expect(html).not.toMatch(/Download/);
  });

  it("closes unfinished syntax while streaming", () => {
    expect(render("Some **bold", true)).toMatch(/data-streamdown="strong">bold<\/span>/);
    expect(render("```py\nprint(1)", true)).toContain("print(1)");
  });
});

describe("AgentMarkdown treats agent text as untrusted", () => {
  const hostile = [
    "<script>alert(1)</script>",
    '<img src="https://evil.example/pixel.gif" onerror="alert(1)">',
    '<iframe src="https://evil.example"></iframe>',
    "<style>body{display:none}</style>",
    '<div style="position:fixed;inset:0" class="fixed inset-0 z-50">cover</div>',
    '<a href="https://evil.example" onclick="alert(1)">raw link</a>',
    "<svg><script>alert(1)</script></svg>",
    '<form action="https://evil.example"><input name="password"></form>',
  ].join("\n\n");

  it("shows raw HTML as text: no script, iframe, style, form, svg, event handler or agent-set class/style", () => {
    const html = render(hostile);
    const elements = tags(html);
    // Streamdown's own copy icons are SVG: there are none here (no code block).
    for (const tag of ["script", "iframe", "style", "form", "svg", "img", "link", "object", "embed", "input", "a"])
      expect(
        elements.filter((element) => element.startsWith(`${tag} `)),
        tag,
      ).toEqual([]);
    for (const element of elements) expect(element).not.toMatch(/\son\w+=|position:fixed|inset-0|z-50|evil\.example/);
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
  });

  it.each([
    "javascript:alert(1)",
    "JAVASCRIPT:alert(1)",
    "java\nscript:alert(1)",
    " javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "file:///etc/passwd",
    "/api/auth/signout",
    "//evil.example/x",
    "#top",
  ])("a link to %j is text, not a link", (href) => {
    const html = render(`[click me](${href.replace(/\n/g, "%0A")}) and <${href}>`);
    expect(tags(html).filter((element) => element.startsWith("a "))).toEqual([]);
    expect(html).toContain("click me");
  });

  it("web links open in a new tab with no opener and no referrer", () => {
    const html = render("See [the docs](https://docs.meshagent.com/x?y=1) or https://example.com/auto.");
    const links = tags(html).filter((element) => element.startsWith("a "));
    expect(links).toHaveLength(2);
    for (const link of links) {
      expect(link).toContain('target="_blank"');
      expect(link).toContain('rel="noopener noreferrer"');
    }
    expect(links[0]).toContain('href="https://docs.meshagent.com/x?y=1"');
  });

  it("loads no image before a click: a named placeholder, no <img>, no preload", () => {
    const html = render("![chart](https://tracker.example/pixel.png?u=alice) ![x](data:image/png;base64,AAAA)");
    expect(tags(html).filter((element) => /^(img|link|source|picture) /.test(element))).toEqual([]);
    expect(html).toMatch(/<button[^>]*>[\s\S]*Load image “chart” from tracker\.example/);
    expect(html).not.toContain("data:image");
  });
});

describe("safe URLs", () => {
  it("links: absolute http(s) and mailto only", () => {
    expect(safeLinkHref("https://a.example/b")).toBe("https://a.example/b");
    expect(safeLinkHref("mailto:a@b.example")).toBe("mailto:a@b.example");
    for (const bad of [
      "javascript:x",
      "\tjavascript:x",
      "data:,x",
      "/x",
      "x",
      "",
      null,
      5,
      "https://" + "a".repeat(3000),
    ])
      expect(safeLinkHref(bad)).toBeNull();
  });

  it("images: absolute http(s) only, with their host", () => {
    expect(safeImageSource("https://img.example:8443/a.png")).toEqual({
      url: "https://img.example:8443/a.png",
      host: "img.example:8443",
    });
    for (const bad of ["data:image/png;base64,AA", "blob:https://x/y", "/me.png", "mailto:x@y"])
      expect(safeImageSource(bad)).toBeNull();
  });
});

describe("code highlighting", () => {
  it("highlights known languages from bundled grammars, leaves others plain", async () => {
    // The page tokenizes in a worker (the e2e checks that); here the same tokenizer runs in the test's thread.
    const highlighter = createCodeHighlighter(codeTokens);
    expect(highlighter.supportsLanguage("ts")).toBe(true);
    expect(highlighter.supportsLanguage("brainfuck")).toBe(false);
    const options = { code: "const a = 1;", language: "ts", themes: highlighter.getThemes() };
    const result = await new Promise((resolve) => {
      expect(highlighter.highlight(options, resolve)).toBeNull();
    });
    expect(JSON.stringify(result)).toContain('"content":"const"');
    // Cached once complete.
    expect(highlighter.highlight(options)).toEqual(result);
    // Still streaming, too long or unknown: plain, and nothing is tokenized.
    expect(highlighter.highlight({ ...options, code: "let b = 2;", isIncomplete: true })).toBeNull();
    expect(highlighter.highlight({ ...options, language: "brainfuck" })).toBeNull();
  });

  it("asks once per block while its tokens are on the way, and answers every caller", async () => {
    let calls = 0;
    let finish: (result: HighlightResult) => void = () => {};
    const highlighter = createCodeHighlighter(() => {
      calls++;
      return new Promise((resolve) => (finish = resolve));
    });
    const options = { code: "x = 1", language: "python", themes: highlighter.getThemes() };
    const answers: HighlightResult[] = [];
    highlighter.highlight(options, (result) => answers.push(result));
    highlighter.highlight(options, (result) => answers.push(result));
    expect(calls).toBe(1);
    const tokens = { tokens: [[{ content: "x", offset: 0 }]] } as unknown as HighlightResult;
    finish(tokens);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(answers).toEqual([tokens, tokens]);
  });

  it("leaves a block plain when tokenizing fails, and tries again later", async () => {
    let calls = 0;
    const highlighter = createCodeHighlighter(() => {
      calls++;
      return Promise.reject(new Error("no workers here"));
    });
    const options = { code: "SELECT 1", language: "sql", themes: highlighter.getThemes() };
    const answers: unknown[] = [];
    expect(highlighter.highlight(options, (result) => answers.push(result))).toBeNull();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(answers).toEqual([]);
    expect(highlighter.highlight(options)).toBeNull();
    expect(calls).toBe(2);
  });
});
