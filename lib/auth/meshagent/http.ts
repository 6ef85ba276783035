import "server-only";

/** Thrown when MeshAgent's accounts API does not answer within the configured time. */
class MeshAgentTimeoutError extends Error {
  constructor(readonly url: string) {
    super(`MeshAgent did not answer in time (${new URL(url).pathname})`);
    this.name = "MeshAgentTimeoutError";
  }
}

/** Thrown when a response body is larger than the app is willing to read. */
class MeshAgentResponseTooLargeError extends Error {
  constructor(readonly limitBytes: number) {
    super(`MeshAgent's response was larger than ${limitBytes} bytes`);
    this.name = "MeshAgentResponseTooLargeError";
  }
}

/**
 * `fetch` that gives up after `timeoutMs` (a hanging token endpoint must not
 * hold a sign-in, or a page, open forever). Keeps a caller's own signal.
 */
export function fetchWithTimeout(timeoutMs: number): typeof fetch {
  return async (input, init) => {
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = init?.signal ? AbortSignal.any([init.signal, timeout]) : timeout;
    try {
      return await fetch(input, { ...init, signal });
    } catch (error) {
      if (timeout.aborted) throw new MeshAgentTimeoutError(input instanceof Request ? input.url : String(input));
      throw error;
    }
  };
}

/** The body as text, refusing (and cancelling) anything over `limitBytes`. */
export async function readBoundedText(response: Response, limitBytes: number): Promise<string> {
  const declared = Number(response.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > limitBytes) {
    await response.body?.cancel();
    throw new MeshAgentResponseTooLargeError(limitBytes);
  }
  if (!response.body) return "";
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limitBytes) {
      await reader.cancel();
      throw new MeshAgentResponseTooLargeError(limitBytes);
    }
    chunks.push(value);
  }
  return new TextDecoder().decode(Buffer.concat(chunks));
}
