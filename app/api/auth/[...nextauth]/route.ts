import { handlers } from "@/auth";
import { guardAuthHandlers } from "@/lib/auth-route";

export const { GET, POST } = guardAuthHandlers(handlers);
