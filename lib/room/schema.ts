import type { $ZodType } from "zod/v4/core";

/**
 * Any zod schema whose output is T: `zod/mini` (what the room's own code
 * uses, since it ships on every room page: its functions tree-shake, classic
 * zod's methods cannot) or classic `zod`, both parse through zod's core.
 */
export type Schema<T> = $ZodType<T>;
