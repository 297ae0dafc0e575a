import type { ReactNode } from "react";

export function FlyoutSection({ title, children, actions }: { title: string; children: ReactNode; actions?: ReactNode }) {
  const id = `section-${title.toLowerCase().replace(/[^a-z0-9]+/g, "-")}`;
  return (
    <section aria-labelledby={id} className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
      <div className="mb-3 flex items-center justify-between gap-2">
        <h3 id={id} className="text-sm font-semibold uppercase tracking-wide text-slate-600">
          {title}
        </h3>
        {actions}
      </div>
      {children}
    </section>
  );
}
