import type { CodeHighlighterPlugin, HighlightResult } from "streamdown";
import type { HighlighterCore } from "shiki/core";

/**
 * Syntax highlighting for code blocks in agent answers: Shiki with its
 * JavaScript regex engine (no WebAssembly) and a fixed set of languages and
 * themes, all bundled with the app and fetched from it on first use, never
 * from the network at large. (Streamdown's own `@streamdown/code` plugin
 * bundles every Shiki grammar, ~300 chunks; these cover what agents write.)
 */

const LANGUAGES = {
  bash: () => import("shiki/langs/bash.mjs"),
  css: () => import("shiki/langs/css.mjs"),
  diff: () => import("shiki/langs/diff.mjs"),
  go: () => import("shiki/langs/go.mjs"),
  html: () => import("shiki/langs/html.mjs"),
  java: () => import("shiki/langs/java.mjs"),
  javascript: () => import("shiki/langs/javascript.mjs"),
  json: () => import("shiki/langs/json.mjs"),
  jsx: () => import("shiki/langs/jsx.mjs"),
  markdown: () => import("shiki/langs/markdown.mjs"),
  python: () => import("shiki/langs/python.mjs"),
  rust: () => import("shiki/langs/rust.mjs"),
  sql: () => import("shiki/langs/sql.mjs"),
  tsx: () => import("shiki/langs/tsx.mjs"),
  typescript: () => import("shiki/langs/typescript.mjs"),
  yaml: () => import("shiki/langs/yaml.mjs"),
} as const;

type Language = keyof typeof LANGUAGES;

const ALIASES: Record<string, Language> = {
  sh: "bash",
  shell: "bash",
  zsh: "bash",
  console: "bash",
  js: "javascript",
  mjs: "javascript",
  cjs: "javascript",
  ts: "typescript",
  mts: "typescript",
  py: "python",
  rs: "rust",
  yml: "yaml",
  md: "markdown",
  golang: "go",
};

const THEMES: [string, string] = ["github-light", "github-dark"];
/** Longest code block highlighted; longer ones stay plain (tokenizing is the costly part). */
const MAX_HIGHLIGHTED_CHARS = 20_000;
const CACHE_SIZE = 64;

function languageOf(name: string): Language | null {
  const key = name.trim().toLowerCase();
  if (key in LANGUAGES) return key as Language;
  return ALIASES[key] ?? null;
}

let highlighter: Promise<HighlighterCore> | null = null;
const loading = new Map<Language, Promise<void>>();
const cache = new Map<string, HighlightResult>();

function getHighlighter(): Promise<HighlighterCore> {
  highlighter ??= Promise.all([
    import("shiki/core"),
    import("shiki/engine/javascript"),
    import("shiki/themes/github-light.mjs"),
    import("shiki/themes/github-dark.mjs"),
  ]).then(([core, engine, light, dark]) =>
    core.createHighlighterCore({
      themes: [light.default, dark.default],
      langs: [],
      engine: engine.createJavaScriptRegexEngine({ forgiving: true }),
    }),
  );
  return highlighter;
}

async function withLanguage(language: Language): Promise<HighlighterCore> {
  const core = await getHighlighter();
  let load = loading.get(language);
  if (!load) {
    load = LANGUAGES[language]().then((module) => core.loadLanguage(...module.default));
    loading.set(language, load);
  }
  await load;
  return core;
}

function remember(key: string, result: HighlightResult) {
  cache.set(key, result);
  if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value!);
}

export const codeHighlighter: CodeHighlighterPlugin = {
  name: "shiki",
  type: "code-highlighter",
  supportsLanguage: (language) => languageOf(language) !== null,
  getSupportedLanguages: () => [...Object.keys(LANGUAGES), ...Object.keys(ALIASES)],
  getThemes: () => THEMES,
  highlight({ code, language, isIncomplete }, callback) {
    const lang = languageOf(language);
    // A block still streaming in stays plain until its fence closes: tokenizing it again on every
    // paint took about 0.5 s of main-thread time per long answer in a profile (bench long-answer, 16.2a).
    if (!lang || isIncomplete || code.length > MAX_HIGHLIGHTED_CHARS) return null;
    const key = `${lang}\n${code}`;
    const cached = cache.get(key);
    if (cached) return cached;
    withLanguage(lang)
      .then((core) => {
        const result = core.codeToTokens(code, { lang, themes: { light: THEMES[0], dark: THEMES[1] } });
        remember(key, result);
        callback?.(result);
      })
      // A grammar that fails to load leaves the block plain: it is still readable.
      .catch(() => undefined);
    return null;
  },
};
