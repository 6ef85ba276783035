import { handlers } from "@/auth";
import { guardAuthHandlers } from "@/lib/auth/route-handlers";

export const { GET, POST } = guardAuthHandlers(handlers);
