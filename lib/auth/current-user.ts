import "server-only";
import { getServerSession } from "next-auth";
import { authOptions } from "@/lib/auth/auth-options";
import { authenticateApiToken } from "@/lib/auth/api-tokens";
import type { AuthUser } from "@/lib/auth/roles";
import { loadActiveUser } from "@/lib/auth/verify-credentials";
import { db } from "@/lib/db";

export type AuthMethod = "session" | "token";

/** The user behind the session cookie, with role and status re-read from the database. */
export async function sessionUser(): Promise<AuthUser | null> {
  const session = await getServerSession(authOptions());
  const id = (session?.user as { id?: string } | undefined)?.id;
  return id ? loadActiveUser(db(), id) : null;
}

/** A bearer token wins over a cookie: automation never depends on browser state. */
export async function requestUser(req: Request): Promise<{ user: AuthUser; method: AuthMethod } | null> {
  const authorization = req.headers.get("authorization");
  if (authorization) {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization);
    const user = match ? await authenticateApiToken(db(), match[1]!) : null;
    return user ? { user, method: "token" } : null;
  }
  const user = await sessionUser();
  return user ? { user, method: "session" } : null;
}
