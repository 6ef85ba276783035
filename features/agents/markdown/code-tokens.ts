import type { HighlighterCore, LanguageRegistration } from "shiki/core";
import type { HighlightResult } from "streamdown";
import { THEMES, type Language } from "@/features/agents/markdown/code-languages";

/**
 * Shiki with its JavaScript regex engine (no WebAssembly) and a fixed set of
 * grammars and themes, all bundled with the app and fetched from it on first
 * use, never from the network at large. (Streamdown's own `@streamdown/code`
 * plugin bundles every Shiki grammar, ~300 chunks; these cover what agents
 * write.) It runs in the highlighting worker: the first block of a language
 * compiles its grammar's expressions, ~0.3 s for TypeScript, which on the page
 * would freeze a streaming answer (tooling/bench/agent-long-answer.ts, 16.2a).
 */

const GRAMMARS: Record<Language, () => Promise<{ default: LanguageRegistration[] }>> = {
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
};

let highlighter: Promise<HighlighterCore> | null = null;
const loading = new Map<Language, Promise<void>>();

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

/** `code` as Shiki's tokens in the light and dark themes. */
export async function codeTokens(code: string, language: Language): Promise<HighlightResult> {
  const core = await getHighlighter();
  let load = loading.get(language);
  if (!load) {
    load = GRAMMARS[language]().then((module) => core.loadLanguage(...module.default));
    loading.set(language, load);
  }
  await load;
  return core.codeToTokens(code, { lang: language, themes: { light: THEMES[0], dark: THEMES[1] } });
}
