"use client";

import { useState } from "react";
import { BackfillDialog } from "@/components/connectors/backfill-dialog";
import { DeleteConnectorDialog } from "@/components/connectors/delete-connector-dialog";
import { isActiveRun, type ConnectorView } from "@/components/query/connector-views";
import { useSetConnectorPaused } from "@/components/query/use-set-connector-paused";
import { useStartRun, type StartRunInput } from "@/components/query/use-start-run";
import { Alert } from "@/components/ui/alert";
import { Button, ButtonLink } from "@/components/ui/button";

/** Actions for the Mailbox Import Export role only; the API enforces the role again on every call. */
export function ConnectorActions({ connector, onDeleted }: { connector: ConnectorView; onDeleted: (name: string) => void }) {
  const start = useStartRun(connector.id);
  const pause = useSetConnectorPaused(connector.id);
  const [notice, setNotice] = useState<string | null>(null);
  const [lastKind, setLastKind] = useState<"run" | "backfill" | "approve">("run");
  const paused = connector.state === "paused";
  const running = isActiveRun(connector.activeRun);

  async function startRun(input: StartRunInput, kind: "run" | "backfill" | "approve"): Promise<boolean> {
    setNotice(null);
    setLastKind(kind);
    try {
      await start.mutateAsync(input);
      setNotice(kind === "backfill" ? "Backfill queued." : kind === "approve" ? "Limit approved; the run is queued." : "Run queued.");
      return true;
    } catch {
      return false;
    }
  }

  const startError = start.error ? start.error.message : null;
  return (
    <section aria-label="Actions" className="space-y-2" data-testid="connector-actions">
      <div className="flex flex-wrap gap-2">
        <Button onClick={() => void startRun({}, "run")} disabled={start.isPending || paused} title={paused ? "Resume the connector to run it" : undefined}>
          Run now
        </Button>
        {connector.lastRun?.status === "LIMIT_EXCEEDED" && !running && (
          <Button variant="secondary" onClick={() => void startRun({ approveLimit: true }, "approve")} disabled={start.isPending || paused}>
            Approve limit and run
          </Button>
        )}
        {!paused && (
          <BackfillDialog
            connectorName={connector.name}
            pending={start.isPending}
            error={lastKind === "backfill" ? startError : null}
            onSubmit={(input) => startRun(input, "backfill")}
          />
        )}
        <Button
          variant="secondary"
          onClick={() => {
            setNotice(null);
            pause.mutate(!paused);
          }}
          disabled={pause.isPending}
        >
          {paused ? "Resume" : "Pause"}
        </Button>
        <ButtonLink href={`/connectors/ice-chat/${encodeURIComponent(connector.id)}/edit`} variant="secondary">
          Edit
        </ButtonLink>
        <DeleteConnectorDialog connectorId={connector.id} connectorName={connector.name} onDeleted={onDeleted} />
      </div>
      {startError && lastKind !== "backfill" && <Alert tone="error">{startError}</Alert>}
      {pause.error && <Alert tone="error">{pause.error.message}</Alert>}
      {notice && !start.error && <Alert tone="success">{notice}</Alert>}
    </section>
  );
}
