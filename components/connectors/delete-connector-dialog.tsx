"use client";

import * as Dialog from "@radix-ui/react-dialog";
import { useState, type FormEvent } from "react";
import { useDeleteConnector } from "@/components/query/use-delete-connector";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";

/** Deleting needs the connector's exact name typed: a misclick must never remove a compliance feed. */
export function DeleteConnectorDialog({ connectorId, connectorName, onDeleted }: { connectorId: string; connectorName: string; onDeleted: (name: string) => void }) {
  const [open, setOpen] = useState(false);
  const [typed, setTyped] = useState("");
  const remove = useDeleteConnector(connectorId);
  const matches = typed === connectorName;

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!matches) return;
    const ok = await remove.mutateAsync(typed).then(
      () => true,
      () => false,
    );
    if (ok) {
      setOpen(false);
      onDeleted(connectorName);
    }
  }

  return (
    <Dialog.Root
      open={open}
      onOpenChange={(o) => {
        setOpen(o);
        setTyped("");
        remove.reset();
      }}
    >
      <Dialog.Trigger asChild>
        <Button variant="danger">Delete…</Button>
      </Dialog.Trigger>
      <Dialog.Portal>
        <Dialog.Overlay className="fixed inset-0 z-[60] bg-slate-900/40" />
        <Dialog.Content className="fixed left-1/2 top-1/3 z-[70] w-full max-w-md -translate-x-1/2 rounded-lg bg-white p-6 shadow-xl outline-none">
          <Dialog.Title className="text-lg font-semibold">Delete connector</Dialog.Title>
          <Dialog.Description className="mt-1 text-sm text-slate-600">
            This stops the daily import and removes the connector&apos;s schedule, stored credentials and user mapping. Run history, imported mail and the audit trail
            are kept.
          </Dialog.Description>
          <form onSubmit={submit} className="mt-4 space-y-4">
            <label className="block text-sm font-medium">
              Type <span className="select-all rounded bg-slate-100 px-1 font-mono">{connectorName}</span> to confirm
              <input
                value={typed}
                onChange={(e) => setTyped(e.target.value)}
                autoComplete="off"
                spellCheck={false}
                className="mt-1 block w-full rounded border border-slate-300 px-3 py-1.5 font-normal"
              />
            </label>
            {remove.error && <Alert tone="error">{remove.error.message}</Alert>}
            <div className="flex justify-end gap-2">
              <Dialog.Close asChild>
                <Button variant="secondary">Cancel</Button>
              </Dialog.Close>
              <Button type="submit" variant="danger" disabled={!matches || remove.isPending}>
                Delete connector
              </Button>
            </div>
          </form>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
