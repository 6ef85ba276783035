import type { ComponentType } from "react";

export interface RoomFeatureProps {
  /** Show another main-area feature (by id), e.g. a participant list opening an agent's thread. */
  openFeature: (id: string) => void;
}

/**
 * A room feature as the room page mounts it. `sidebar` features stack beside
 * the main area; `main` features are tabs. Lazily load anything heavy
 * (`lazy(() => import(...))`): its code then downloads when first shown.
 */
export interface RoomFeature {
  id: string;
  title: string;
  slot: "sidebar" | "main";
  Component: ComponentType<RoomFeatureProps>;
}
