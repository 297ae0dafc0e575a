"use client";

import type { ReactNode } from "react";

/** Back / Cancel / primary action row at the bottom of each step, with the reason the primary action is blocked. */
export function WizardFooter({ children, blocker }: { children: ReactNode; blocker?: string | null }) {
  return (
    <div className="mt-8 border-t border-slate-200 pt-4">
      {blocker && (
        <p id="wizard-blocker" className="mb-3 text-sm text-slate-700" role="status">
          {blocker}
        </p>
      )}
      <div className="flex flex-wrap items-center gap-3">{children}</div>
    </div>
  );
}
