"use client";

import { useCallback, useState } from "react";
import { ConnectorFlyout } from "@/components/connectors/connector-flyout";
import { ConnectorTable } from "@/components/connectors/connector-table";
import { useConnectors } from "@/components/query/use-connectors";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";

// The URL carries the open flyout (?selected=<id>) so the wizard can land on it and an
// admin can share it. history.replaceState is enough: Next keeps useSearchParams in sync
// and no server round trip is needed for a panel the client already renders.
function writeSelected(id: string | null): void {
  const url = new URL(window.location.href);
  if (id) url.searchParams.set("selected", id);
  else url.searchParams.delete("selected");
  window.history.replaceState(window.history.state, "", `${url.pathname}${url.search}${url.hash}`);
}

export function ConnectorDashboard({ canManage, initialSelected }: { canManage: boolean; initialSelected: string | null }) {
  const connectors = useConnectors();
  const [selected, setSelected] = useState<string | null>(initialSelected);
  const [notice, setNotice] = useState<string | null>(null);

  const select = useCallback((id: string | null) => {
    setSelected(id);
    writeSelected(id);
  }, []);

  const onDeleted = useCallback(
    (name: string) => {
      select(null);
      setNotice(`Connector "${name}" was deleted. Its run history and audit trail are kept.`);
    },
    [select],
  );

  return (
    <div className="space-y-3" data-testid="connector-dashboard">
      {notice && <Alert tone="success">{notice}</Alert>}
      {connectors.isPending && (
        <div className="rounded-lg border border-slate-200 bg-white p-6 text-sm text-slate-500" role="status" data-testid="connectors-loading">
          Loading connectors…
        </div>
      )}
      {connectors.isError && !connectors.data && (
        <Alert tone="error">
          <div className="flex items-center justify-between gap-4">
            <span>Could not load connectors: {connectors.error.message}</span>
            <Button variant="secondary" onClick={() => void connectors.refetch()}>
              Retry
            </Button>
          </div>
        </Alert>
      )}
      {connectors.data && <ConnectorTable connectors={connectors.data} onSelect={select} />}
      {connectors.data && connectors.isRefetchError && (
        <p className="text-xs text-amber-800" role="status">
          Live updates paused: {connectors.error?.message ?? "the server did not answer"}. Retrying…
        </p>
      )}
      <ConnectorFlyout connectorId={selected} canManage={canManage} onClose={() => select(null)} onDeleted={onDeleted} />
    </div>
  );
}
