import "server-only";
import { redirect } from "next/navigation";
import { sessionUser } from "@/lib/auth/current-user";
import type { AuthUser } from "@/lib/auth/roles";

/** Every page calls this itself: layouts alone are not a boundary (they do not re-run on every navigation). */
export async function requirePageUser(): Promise<AuthUser> {
  const user = await sessionUser();
  if (!user) redirect("/signin");
  return user;
}
