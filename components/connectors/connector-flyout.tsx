"use client";

import * as Dialog from "@radix-ui/react-dialog";
import Link from "next/link";
import { ConnectionDetails } from "@/components/connectors/connection-details";
import { ConnectorActions } from "@/components/connectors/connector-actions";
import { ConnectorAlerts } from "@/components/connectors/connector-alerts";
import { DailyImportsChart } from "@/components/connectors/daily-imports-chart";
import { MappingSettings } from "@/components/connectors/mapping-settings";
import { RunHistory } from "@/components/connectors/run-history";
import { RunProgress } from "@/components/connectors/run-progress";
import { FlyoutSection } from "@/components/connectors/flyout-section";
import { ConnectorStatusBadge } from "@/components/connectors/status-badge";
import { formatUtcMinute } from "@/components/connectors/format";
import { isActiveRun, type ConnectorView } from "@/components/query/connector-views";
import { useConnector } from "@/components/query/use-connector";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";

interface FlyoutProps {
  connectorId: string | null;
  canManage: boolean;
  onClose: () => void;
  onDeleted: (name: string) => void;
}

/** The right-hand panel for one connector. Radix Dialog gives the focus trap, Esc and aria-labelledby. */
export function ConnectorFlyout({ connectorId, canManage, onClose, onDeleted }: FlyoutProps) {
  const connector = useConnector(connectorId);
  return (
    <Dialog.Root open={connectorId !== null} onOpenChange={(open) => !open && onClose()}>
      <Dialog.Portal>
        <Dialog.Overlay className="fixed inset-0 z-40 bg-slate-900/30" />
        <Dialog.Content
          data-testid="connector-flyout"
          className="fixed inset-y-0 right-0 z-50 flex w-full max-w-5xl flex-col bg-slate-50 shadow-2xl outline-none"
          aria-describedby={undefined}
        >
          <header className="flex items-start justify-between gap-4 border-b border-slate-200 bg-white px-6 py-4">
            <div className="min-w-0">
              <Dialog.Title className="truncate text-xl font-semibold">{connector.data?.name ?? (connector.isError ? "Connector" : "Loading connector…")}</Dialog.Title>
              {connector.data && (
                <p className="mt-1 flex flex-wrap items-center gap-2 text-sm text-slate-600">
                  <ConnectorStatusBadge status={connector.data.status} />
                  <span>ICE Chat · firm {connector.data.firmCode}</span>
                  <span>· next run {connector.data.nextRunAt ? formatUtcMinute(connector.data.nextRunAt) : "none (paused)"}</span>
                </p>
              )}
            </div>
            <Dialog.Close asChild>
              <Button variant="ghost" aria-label="Close">
                ✕
              </Button>
            </Dialog.Close>
          </header>
          <div className="flex-1 space-y-5 overflow-y-auto px-6 py-5">
            {connector.isPending && connectorId !== null && (
              <p className="text-sm text-slate-500" role="status">
                Loading connector…
              </p>
            )}
            {connector.isError && !connector.data && (
              <Alert tone="error">
                {connector.error.message}{" "}
                <button type="button" className="font-semibold underline" onClick={() => void connector.refetch()}>
                  Retry
                </button>
              </Alert>
            )}
            {connector.data && <FlyoutBody connector={connector.data} canManage={canManage} onDeleted={onDeleted} />}
          </div>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}

function FlyoutBody({ connector, canManage, onDeleted }: { connector: ConnectorView; canManage: boolean; onDeleted: (name: string) => void }) {
  const active = isActiveRun(connector.activeRun);
  return (
    <>
      <ConnectorAlerts connector={connector} />
      {canManage && <ConnectorActions connector={connector} onDeleted={onDeleted} />}
      <FlyoutSection title="Current run">
        {connector.activeRun && active ? (
          <RunProgress run={connector.activeRun} />
        ) : (
          <p className="text-sm text-slate-600" data-testid="no-active-run">
            No run in progress.{" "}
            {connector.nextRunAt ? `The next scheduled run starts ${formatUtcMinute(connector.nextRunAt)}.` : "The schedule is paused."}
          </p>
        )}
      </FlyoutSection>
      <div className="grid gap-5 lg:grid-cols-2">
        <FlyoutSection title="Connection">
          <ConnectionDetails connector={connector} />
        </FlyoutSection>
        <div className="space-y-5">
          <FlyoutSection title="User mapping">
            <MappingSettings connector={connector} />
          </FlyoutSection>
          {connector.destination === "local_archive" && (
            <FlyoutSection title="Destination">
              <p className="text-sm text-slate-600">
                Items go to the built-in local archive.{" "}
                <Link href="/archive" className="font-semibold text-brand hover:underline">
                  Open the archive mailboxes
                </Link>
              </p>
            </FlyoutSection>
          )}
        </div>
      </div>
      <FlyoutSection title="Items imported per day (last 30 days, UTC)">
        <DailyImportsChart connectorId={connector.id} />
      </FlyoutSection>
      <FlyoutSection title="Run history">
        <RunHistory connectorId={connector.id} live={active} />
      </FlyoutSection>
    </>
  );
}
