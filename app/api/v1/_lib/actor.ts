import "server-only";
import type { AuthUser } from "@/lib/auth/roles";

/** Who the audit log names for a request. */
export function actorOf(user: AuthUser): { id: string; label: string } {
  return { id: user.id, label: user.email };
}
