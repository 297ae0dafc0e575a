import type { ReactNode } from "react";
import { SignOutButton } from "@/components/auth/sign-out-button";
import { LeftNav } from "@/components/shell/left-nav";

export function AppShell({ userEmail, roleLabel, children }: { userEmail: string; roleLabel: string; children: ReactNode }) {
  return (
    <div className="flex min-h-screen flex-col">
      <header className="flex h-12 items-center justify-between bg-brand px-4 text-white">
        <span className="font-semibold">ICE Chat Connector</span>
        <div className="flex items-center gap-3 text-sm">
          <span data-testid="signed-in-user">
            {userEmail} · {roleLabel}
          </span>
          <div className="rounded bg-white">
            <SignOutButton />
          </div>
        </div>
      </header>
      <div className="flex flex-1">
        <aside className="w-56 shrink-0 border-r border-slate-200 bg-slate-100">
          <LeftNav />
        </aside>
        <main className="flex-1 p-8">{children}</main>
      </div>
    </div>
  );
}
