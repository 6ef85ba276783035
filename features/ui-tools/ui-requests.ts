import { createStore } from "zustand/vanilla";
import type { ToolContent } from "@/lib/shared/agent-turn/content";
import type {
  AskUserForFileArgs,
  AskUserArgs,
  DisplayDocumentArgs,
  UiToolCall,
} from "@/lib/shared/agent-turn/ui-toolkit";

/**
 * What agents ask of the person through the `ui` tools, from either road: a
 * turn's client tool call or a call to the browser's room toolkit. Dialogs
 * (ask_user, ask_user_for_file) come one at a time with a short queue, so an
 * agent cannot bury the page in them; toasts are few and go by themselves;
 * a document opens in one viewer.
 */

/** Dialogs waiting behind the one on screen; more are refused at once. */
export const MAX_QUEUED_DIALOGS = 5;
/** Toasts on screen at once; the oldest goes first. */
export const MAX_TOASTS = 3;

export const CANCELLED_BY_USER = "cancelled by the user";
export const TOO_MANY_REQUESTS = "the person already has too many requests waiting; try again later";

export interface UiRequest {
  /** Unique per request: the turn's request_id, or the room call's id. */
  key: string;
  /** Who asks, as the page shows it. */
  asker: string;
  call: UiToolCall;
  respond: (content: ToolContent) => void;
}

export type DialogRequest = UiRequest & {
  call: { tool: "ask_user"; args: AskUserArgs } | { tool: "ask_user_for_file"; args: AskUserForFileArgs };
};

export interface Toast {
  key: string;
  asker: string;
  title: string;
  description: string;
}

export interface OpenDocument {
  key: string;
  asker: string;
  args: DisplayDocumentArgs;
}

export interface UiRequestsState {
  active: DialogRequest | null;
  queue: DialogRequest[];
  toasts: Toast[];
  document: OpenDocument | null;
  /** Takes a request: shows it, queues it, or refuses it. */
  submit: (request: UiRequest) => void;
  /** The person answered the dialog on screen (or cancelled it). */
  finish: (key: string, content: ToolContent) => void;
  /** The agent withdrew a request: it goes without an answer. */
  withdraw: (key: string) => void;
  dismissToast: (key: string) => void;
  closeDocument: () => void;
}

export function createUiRequests() {
  // A store update renders at once (React flushes useSyncExternalStore updates
  // in a microtask), and that render would run before the answer's send, which
  // takes several more microtasks. So a toast is answered first and shown in
  // the next animation frame, with all that arrived meanwhile: one render per
  // frame however fast an agent sends them.
  let arriving: Toast[] = [];
  const showArriving = () => {
    const shown = arriving;
    arriving = [];
    store.setState((state) => ({ toasts: [...state.toasts, ...shown].slice(-MAX_TOASTS) }));
  };
  const arrive = (toast: Toast) => {
    // The first toast since the last paint schedules it; the others join it.
    const scheduled = arriving.length > 0;
    if (arriving.push(toast) > MAX_TOASTS) arriving.shift();
    if (scheduled) return;
    if (typeof document !== "undefined" && document.visibilityState === "visible") requestAnimationFrame(showArriving);
    // Hidden tabs get no animation frames.
    else setTimeout(showArriving, 0);
  };

  const store = createStore<UiRequestsState>((set, get) => ({
    active: null,
    queue: [],
    toasts: [],
    document: null,
    submit(request) {
      const { call } = request;
      if (call.tool === "show_toast") {
        request.respond({ type: "empty" });
        arrive({ key: request.key, asker: request.asker, ...call.args });
        return;
      }
      if (call.tool === "display_document") {
        set({ document: { key: request.key, asker: request.asker, args: call.args } });
        request.respond({ type: "empty" });
        return;
      }
      const dialog = request as DialogRequest;
      const { active, queue } = get();
      if (active?.key === dialog.key || queue.some((item) => item.key === dialog.key)) return;
      if (!active) set({ active: dialog });
      else if (queue.length < MAX_QUEUED_DIALOGS) set({ queue: [...queue, dialog] });
      else dialog.respond({ type: "error", text: TOO_MANY_REQUESTS });
    },
    finish(key, content) {
      const { active, queue } = get();
      if (active?.key !== key) return;
      set({ active: queue[0] ?? null, queue: queue.slice(1) });
      active.respond(content);
    },
    withdraw(key) {
      const { active, queue } = get();
      if (active?.key === key) set({ active: queue[0] ?? null, queue: queue.slice(1) });
      else set({ queue: queue.filter((item) => item.key !== key) });
    },
    dismissToast: (key) => set((state) => ({ toasts: state.toasts.filter((toast) => toast.key !== key) })),
    closeDocument: () => set({ document: null }),
  }));
  return store;
}

export const UI_REQUESTS_STORE = "ui-requests";
