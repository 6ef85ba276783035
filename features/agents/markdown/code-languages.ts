/**
 * The languages agent answers are highlighted in, by the names a code fence
 * may give them. Shared by the page (which asks) and the highlighting worker
 * (which loads the grammars); no grammar is imported here.
 */

const LANGUAGES = [
  "bash",
  "css",
  "diff",
  "go",
  "html",
  "java",
  "javascript",
  "json",
  "jsx",
  "markdown",
  "python",
  "rust",
  "sql",
  "tsx",
  "typescript",
  "yaml",
] as const;

export type Language = (typeof LANGUAGES)[number];

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

export const LANGUAGE_NAMES: readonly string[] = [...LANGUAGES, ...Object.keys(ALIASES)];

export const THEMES: [string, string] = ["github-light", "github-dark"];

export function languageOf(name: string): Language | null {
  const key = name.trim().toLowerCase();
  if ((LANGUAGES as readonly string[]).includes(key)) return key as Language;
  return ALIASES[key] ?? null;
}
