import NextAuth from "next-auth";
import { authConfig } from "@/lib/auth/config";
import { serverEnv } from "@/lib/server/env";

/** The Auth.js entry point; what it is built from lives in lib/auth/. */
export const { handlers, auth, signIn, signOut } = NextAuth(authConfig(serverEnv().env));
