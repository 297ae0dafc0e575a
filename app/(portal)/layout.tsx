import type { ReactNode } from "react";
import { requirePageUser } from "@/app/_server/page-user";
import { AppShell } from "@/components/shell/app-shell";
import { ROLE_LABELS } from "@/lib/auth/roles";

export const dynamic = "force-dynamic";

export default async function PortalLayout({ children }: { children: ReactNode }) {
  const user = await requirePageUser();
  return (
    <AppShell userEmail={user.email} roleLabel={ROLE_LABELS[user.role]}>
      {children}
    </AppShell>
  );
}
