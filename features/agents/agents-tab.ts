import { lazy } from "react";

/** The Agents tab, code-split: its code downloads when the tab is first opened. */
export const AgentsTab = lazy(() =>
  import("@/features/agents/agents-panel").then((module) => ({ default: module.AgentsPanel })),
);
