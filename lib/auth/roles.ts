import { Role } from "@/lib/generated/prisma/enums";

export { Role };

export const ROLE_LABELS: Record<Role, string> = {
  MAILBOX_IMPORT_EXPORT: "Mailbox Import Export",
  VIEWER: "Viewer (read-only)",
};

export interface AuthUser {
  id: string;
  email: string;
  name: string | null;
  role: Role;
}

/** Creating, editing, running and deleting connectors needs the Mailbox Import Export role. */
export function canManageConnectors(user: Pick<AuthUser, "role">): boolean {
  return user.role === Role.MAILBOX_IMPORT_EXPORT;
}

export function parseRole(input: string): Role | null {
  const key = input.trim().toLowerCase().replace(/[\s_-]+/g, "");
  if (key === "mailboximportexport" || key === "admin") return Role.MAILBOX_IMPORT_EXPORT;
  if (key === "viewer" || key === "readonly") return Role.VIEWER;
  return null;
}
