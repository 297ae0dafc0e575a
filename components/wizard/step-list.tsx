"use client";

import Link from "next/link";
import type { StepId } from "@/components/wizard/wizard-state";

export interface StepListItem {
  id: StepId;
  label: string;
  state: "complete" | "current" | "upcoming";
  /** Set when the step may be opened (all earlier steps are complete). */
  href?: string;
}

/** The compliance-center step list on the left of the wizard. */
export function StepList({ steps }: { steps: StepListItem[] }) {
  return (
    <nav aria-label="Wizard steps">
      <ol className="space-y-1">
        {steps.map((step, index) => {
          const marker =
            step.state === "complete" ? (
              <span className="flex h-6 w-6 items-center justify-center rounded-full bg-emerald-600 text-xs text-white" aria-hidden="true">
                ✓
              </span>
            ) : (
              <span
                className={`flex h-6 w-6 items-center justify-center rounded-full border text-xs ${
                  step.state === "current" ? "border-brand bg-brand text-white" : "border-slate-400 text-slate-500"
                }`}
                aria-hidden="true"
              >
                {index + 1}
              </span>
            );
          const body = (
            <>
              {marker}
              <span>
                {step.label}
                <span className="sr-only">{step.state === "complete" ? " (completed)" : step.state === "upcoming" ? " (not started)" : ""}</span>
              </span>
            </>
          );
          const cls = `flex items-start gap-2 rounded px-2 py-2 text-sm ${step.state === "current" ? "bg-sky-100 font-semibold text-brand-dark" : "text-slate-700"}`;
          return (
            <li key={step.id}>
              {step.href && step.state !== "current" ? (
                <Link href={step.href} className={`${cls} outline-none hover:bg-slate-200 focus-visible:ring-2 focus-visible:ring-brand`}>
                  {body}
                </Link>
              ) : (
                <span className={cls} aria-current={step.state === "current" ? "step" : undefined}>
                  {body}
                </span>
              )}
            </li>
          );
        })}
      </ol>
    </nav>
  );
}
