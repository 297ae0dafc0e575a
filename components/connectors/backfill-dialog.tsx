"use client";

import * as Dialog from "@radix-ui/react-dialog";
import { useState, type FormEvent } from "react";
import type { StartRunInput } from "@/components/query/use-start-run";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";

const DAY_MS = 24 * 60 * 60 * 1000;

/** Both days included, in UTC: from midnight of `from` to midnight after `to` (the run window's end is exclusive). */
export function backfillWindow(from: string, to: string): { from: string; to: string } | string {
  const start = Date.parse(`${from}T00:00:00Z`);
  const end = Date.parse(`${to}T00:00:00Z`);
  if (Number.isNaN(start) || Number.isNaN(end)) return "Choose both dates.";
  if (start > end) return "The first day must not be after the last day.";
  if (start > Date.now()) return "The first day is in the future.";
  return { from: new Date(start).toISOString(), to: new Date(end + DAY_MS).toISOString() };
}

interface BackfillDialogProps {
  connectorName: string;
  pending: boolean;
  error: string | null;
  onSubmit: (input: StartRunInput) => Promise<boolean>;
}

export function BackfillDialog({ connectorName, pending, error, onSubmit }: BackfillDialogProps) {
  const [open, setOpen] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const range = backfillWindow(String(data.get("from") ?? ""), String(data.get("to") ?? ""));
    if (typeof range === "string") {
      setProblem(range);
      return;
    }
    setProblem(null);
    if (await onSubmit(range)) setOpen(false);
  }

  return (
    <Dialog.Root open={open} onOpenChange={(o) => { setOpen(o); setProblem(null); }}>
      <Dialog.Trigger asChild>
        <Button variant="secondary">Backfill range…</Button>
      </Dialog.Trigger>
      <Dialog.Portal>
        <Dialog.Overlay className="fixed inset-0 z-[60] bg-slate-900/40" />
        <Dialog.Content className="fixed left-1/2 top-1/3 z-[70] w-full max-w-md -translate-x-1/2 rounded-lg bg-white p-6 shadow-xl outline-none">
          <Dialog.Title className="text-lg font-semibold">Backfill a date range</Dialog.Title>
          <Dialog.Description className="mt-1 text-sm text-slate-600">
            Imports the chats of every day in the range (UTC, both days included) for {connectorName}. Items already imported are skipped, never duplicated.
          </Dialog.Description>
          <form onSubmit={submit} className="mt-4 space-y-4">
            <div className="flex gap-3">
              <label className="text-sm font-medium">
                First day (UTC)
                <input type="date" name="from" required className="mt-1 block rounded border border-slate-300 px-3 py-1.5" />
              </label>
              <label className="text-sm font-medium">
                Last day (UTC)
                <input type="date" name="to" required className="mt-1 block rounded border border-slate-300 px-3 py-1.5" />
              </label>
            </div>
            {(problem ?? error) && <Alert tone="error">{problem ?? error}</Alert>}
            <div className="flex justify-end gap-2">
              <Dialog.Close asChild>
                <Button variant="secondary">Cancel</Button>
              </Dialog.Close>
              <Button type="submit" disabled={pending}>
                Start backfill
              </Button>
            </div>
          </form>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
