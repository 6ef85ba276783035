/**
 * The code highlighting worker (code-highlighter.ts starts it): tokenizes one
 * code block per message, off the page's main thread. Requests come only from
 * the page that started it, but their shape is still checked.
 */

import { languageOf } from "@/features/agents/markdown/code-languages";
import { codeTokens } from "@/features/agents/markdown/code-tokens";

interface HighlightRequest {
  id: number;
  code: string;
  language: string;
}

const scope = self as unknown as {
  onmessage: ((event: MessageEvent<unknown>) => void) | null;
  postMessage(message: unknown): void;
};

function isRequest(data: unknown): data is HighlightRequest {
  if (typeof data !== "object" || data === null) return false;
  const { id, code, language } = data as Record<string, unknown>;
  return typeof id === "number" && typeof code === "string" && typeof language === "string";
}

scope.onmessage = (event) => {
  if (!isRequest(event.data)) return;
  const { id, code, language } = event.data;
  const lang = languageOf(language);
  if (!lang) return scope.postMessage({ id, error: "unsupported language" });
  codeTokens(code, lang).then(
    (result) => scope.postMessage({ id, result }),
    (error: unknown) => scope.postMessage({ id, error: String(error) }),
  );
};
