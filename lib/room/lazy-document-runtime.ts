/**
 * @meshagent/meshagent's document runtime (dist/esm/entrypoint.js: Yjs and
 * its sync glue, pre-bundled, about 29 KiB gzip) is only needed once a
 * document is opened with room.sync.open, which only the Shared notes tab
 * does. Yet every RoomClient imports it (through SyncClient), so it would ship
 * with the room page. In browser bundles next.config.ts therefore replaces the
 * SDK's runtime.js with a module built here (tooling/turbopack/
 * lazy-document-runtime-loader.cjs) that imports the real runtime on first use.
 * Server code, the agent, the dev room and tests use the SDK unmodified.
 *
 * The SDK calls these four functions synchronously and uses no result. Calls
 * made before the runtime has loaded are queued and replayed in order once it
 * has; later calls go straight through. A queued call runs later than the SDK
 * expects (a document's first state would land after its `synchronized`
 * promise resolved), so await loadDocumentRuntime() before room.sync.open.
 */

export interface DocumentRuntime {
  registerDocument(
    id: string,
    base64Data: string | null,
    undo: boolean | undefined,
    sendUpdateToBackend: (update: string) => void,
    sendUpdateToClient: (update: string) => void,
  ): void;
  unregisterDocument(id: string): void;
  applyChanges(update: { documentID: string; changes: unknown[] }): void;
  applyBackendChanges(documentId: string, base64Changes: string): void;
}

/** The real runtime module: the four functions, plus the class whose serialize turns Yjs nodes into the SDK's tree. */
export interface DocumentRuntimeModule extends DocumentRuntime {
  ServerXmlDocument?: { prototype: { serialize?: (node: unknown) => unknown } };
}

/**
 * A document is untrusted: a participant can put content into it that
 * MeshDocument cannot hold (a number, bytes or an object where only elements
 * and text belong). The runtime's serialize then throws "Unexpected node
 * type", which fails every later sync.open and silently stops a document that
 * is already open from syncing. In browsers such a node is shown to the SDK as
 * an empty text node instead: positions stay right, the rest of the document
 * stays readable, and the room document reader (lib/room/document-tree.ts)
 * counts it as unreadable so the feature can offer a reset.
 */
export function tolerateForeignNodes(module: DocumentRuntimeModule): DocumentRuntime {
  const prototype = module.ServerXmlDocument?.prototype;
  const serialize = prototype?.serialize;
  if (prototype && serialize && !(serialize as { tolerant?: boolean }).tolerant) {
    const tolerant = function (this: unknown, node: unknown) {
      try {
        return serialize.call(this, node);
      } catch {
        return { text: { delta: [] } };
      }
    };
    prototype.serialize = Object.assign(tolerant, { tolerant: true });
  }
  return {
    registerDocument: module.registerDocument,
    unregisterDocument: module.unregisterDocument,
    applyChanges: module.applyChanges,
    applyBackendChanges(documentId, base64Changes) {
      // The update is in the document by the time a listener throws; the
      // stream must go on, or every later edit is silently lost.
      try {
        module.applyBackendChanges(documentId, base64Changes);
      } catch (error) {
        console.error("MeshAgent document runtime: a change from the room could not be shown", error);
      }
    },
  };
}

type RuntimeCall = {
  [Name in keyof DocumentRuntime]: { name: Name; args: Parameters<DocumentRuntime[Name]> };
}[keyof DocumentRuntime];

export interface LazyDocumentRuntime {
  /** Stand-ins for the runtime's functions, safe to call before it has loaded. */
  runtime: DocumentRuntime;
  /** Loads the runtime (once; again after a failure) and resolves when queued calls have run. */
  load(): Promise<void>;
}

function invoke(runtime: DocumentRuntime, call: RuntimeCall): void {
  (runtime[call.name] as (...args: RuntimeCall["args"]) => void)(...call.args);
}

export function createLazyDocumentRuntime(importRuntime: () => Promise<DocumentRuntime>): LazyDocumentRuntime {
  let loaded: DocumentRuntime | null = null;
  let loading: Promise<void> | null = null;
  const queue: RuntimeCall[] = [];

  function replay(runtime: DocumentRuntime): void {
    // A replayed call can make the SDK call the runtime again (a document
    // update echoed to the client); such calls join the end of the queue, so
    // the order stays the order the SDK made them in.
    for (let call = queue.shift(); call; call = queue.shift()) {
      try {
        invoke(runtime, call);
      } catch (error) {
        // The caller that would have seen this error synchronously is gone.
        console.error(`MeshAgent document runtime: ${call.name} failed`, error);
      }
    }
    loaded = runtime;
  }

  function load(): Promise<void> {
    if (loaded) return Promise.resolve();
    loading ??= importRuntime().then(replay, (error: unknown) => {
      loading = null;
      throw error;
    });
    return loading;
  }

  function call(next: RuntimeCall): void {
    if (loaded) {
      invoke(loaded, next);
      return;
    }
    queue.push(next);
    load().catch((error: unknown) => console.error("MeshAgent document runtime did not load", error));
  }

  return {
    runtime: {
      registerDocument: (...args) => call({ name: "registerDocument", args }),
      unregisterDocument: (...args) => call({ name: "unregisterDocument", args }),
      applyChanges: (...args) => call({ name: "applyChanges", args }),
      applyBackendChanges: (...args) => call({ name: "applyBackendChanges", args }),
    },
    load,
  };
}

let installed: LazyDocumentRuntime | null = null;

/** Called by the replacement runtime module in browser bundles. */
export function installLazyDocumentRuntime(importRuntime: () => Promise<DocumentRuntimeModule>): DocumentRuntime {
  installed = createLazyDocumentRuntime(() => importRuntime().then(tolerateForeignNodes));
  return installed.runtime;
}

/**
 * Resolves once the SDK's document runtime is ready: at once where the SDK
 * loads it eagerly (server, Node, tests). Rejects if its chunk fails to
 * download; a later call tries again.
 */
export function loadDocumentRuntime(): Promise<void> {
  return installed ? installed.load() : Promise.resolve();
}
