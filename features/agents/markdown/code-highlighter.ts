import type { CodeHighlighterPlugin, HighlightResult } from "streamdown";
import { LANGUAGE_NAMES, THEMES, languageOf, type Language } from "@/features/agents/markdown/code-languages";

/**
 * Syntax highlighting for code blocks in agent answers (Streamdown's code
 * plugin): Shiki runs in a worker (highlight.worker.ts), so a grammar's first
 * use, ~0.3 s of compiling for TypeScript, never blocks the page while an
 * answer streams. A block stays plain until its tokens come back, and for
 * good if the worker cannot start.
 */

/** Longest code block highlighted; longer ones stay plain (tokenizing is the costly part). */
const MAX_HIGHLIGHTED_CHARS = 20_000;
const CACHE_SIZE = 64;

type Tokenize = (code: string, language: Language) => Promise<HighlightResult>;

/** Streamdown's code plugin over `tokenize`, with a cache of finished blocks and one request per block at a time. */
export function createCodeHighlighter(tokenize: Tokenize): CodeHighlighterPlugin {
  const cache = new Map<string, HighlightResult>();
  const inFlight = new Map<string, Promise<HighlightResult>>();

  return {
    name: "shiki",
    type: "code-highlighter",
    supportsLanguage: (language) => languageOf(language) !== null,
    getSupportedLanguages: () => [...LANGUAGE_NAMES],
    getThemes: () => THEMES,
    highlight({ code, language, isIncomplete }, callback) {
      const lang = languageOf(language);
      // A block still streaming in stays plain until its fence closes: tokenizing it again on every
      // paint took about 0.5 s of main-thread time per long answer in a profile (bench long-answer, 16.2a).
      if (!lang || isIncomplete || code.length > MAX_HIGHLIGHTED_CHARS) return null;
      const key = `${lang}\n${code}`;
      const cached = cache.get(key);
      if (cached) return cached;
      let request = inFlight.get(key);
      if (!request) {
        request = tokenize(code, lang).then((result) => {
          cache.set(key, result);
          if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value!);
          return result;
        });
        const settled = () => inFlight.delete(key);
        request.then(settled, settled);
        inFlight.set(key, request);
      }
      request.then((result) => callback?.(result)).catch(() => undefined); // a block that fails stays plain, still readable
      return null;
    },
  };
}

type Answer = { id: number; result?: HighlightResult; error?: string };

let worker: Worker | null = null;
let nextId = 1;
const waiting = new Map<number, { resolve: (result: HighlightResult) => void; reject: (error: Error) => void }>();

function failAll(reason: string) {
  for (const { reject } of waiting.values()) reject(new Error(reason));
  waiting.clear();
}

function startWorker(): Worker {
  if (worker) return worker;
  // The literal `new Worker(new URL(…, import.meta.url))` is what the bundler turns into a worker chunk.
  const started = new Worker(new URL("./highlight.worker.ts", import.meta.url), { type: "module" });
  started.onmessage = (event: MessageEvent<Answer>) => {
    const { id, result, error } = event.data;
    const entry = waiting.get(id);
    waiting.delete(id);
    if (result) entry?.resolve(result);
    else entry?.reject(new Error(error ?? "no result"));
  };
  started.onerror = () => {
    failAll("the highlighting worker failed");
    started.terminate();
    worker = null;
  };
  worker = started;
  return started;
}

function inWorker(code: string, language: Language): Promise<HighlightResult> {
  if (typeof Worker === "undefined") return Promise.reject(new Error("no workers here"));
  return new Promise((resolve, reject) => {
    const id = nextId++;
    waiting.set(id, { resolve, reject });
    startWorker().postMessage({ id, code, language });
  });
}

export const codeHighlighter = createCodeHighlighter(inWorker);
