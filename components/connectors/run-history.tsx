"use client";

import { Fragment, useState } from "react";
import { RunDetailPanel } from "@/components/connectors/run-detail-panel";
import { RunStatusBadge } from "@/components/connectors/status-badge";
import { describeFailures, formatCount, formatUtcDay, formatUtcMinute, RUN_TRIGGER_LABELS } from "@/components/connectors/format";
import type { RunView } from "@/components/query/connector-views";
import { useConnectorRuns } from "@/components/query/use-connector-runs";
import { Alert } from "@/components/ui/alert";

// Short headers keep the table inside the flyout; the title spells each counter out.
const COUNTER_HEADERS: [string, string][] = [
  ["Source", "Items available from the source"],
  ["For import", "Items available for import"],
  ["Imported", "Items imported"],
  ["Partial", "Items partially imported"],
  ["Dup.", "Items skipped as duplicates"],
  ["Failed", "Items failed, by reason"],
];

function Counter({ n, tone }: { n: number; tone?: "bad" }) {
  return <td className={`px-2 py-2 text-right tabular-nums ${tone === "bad" && n > 0 ? "font-semibold text-red-700" : ""}`}>{formatCount(n)}</td>;
}

function RunRow({ run, open, onToggle }: { run: RunView; open: boolean; onToggle: () => void }) {
  const failures = describeFailures(run.failed);
  return (
    <tr className="border-t border-slate-200 align-top" data-testid="run-row" data-run-id={run.id}>
      <td className="px-2 py-2">
        <button
          type="button"
          onClick={onToggle}
          aria-expanded={open}
          aria-controls={`run-detail-${run.id}`}
          aria-label={`${open ? "Hide" : "Show"} details of the run started ${formatUtcMinute(run.startedAt ?? run.queuedAt)}`}
          className="rounded px-1 text-brand hover:bg-slate-100 focus-visible:ring-2 focus-visible:ring-brand"
        >
          {open ? "▾" : "▸"}
        </button>
      </td>
      <td className="whitespace-nowrap px-2 py-2">
        <div>{formatUtcMinute(run.startedAt ?? run.queuedAt)}</div>
        <div className="text-xs text-slate-500">{run.finishedAt ? `→ ${formatUtcMinute(run.finishedAt)}` : "→ not finished"}</div>
      </td>
      <td className="px-2 py-2">
        {RUN_TRIGGER_LABELS[run.trigger]}
        {run.trigger === "BACKFILL" && run.windowFrom && (
          <div className="text-xs text-slate-500">
            {formatUtcDay(run.windowFrom)} → {formatUtcDay(run.windowTo)}
          </div>
        )}
      </td>
      <td className="px-2 py-2">
        <RunStatusBadge status={run.status} />
      </td>
      <Counter n={run.itemsFromSource} />
      <Counter n={run.itemsForImport} />
      <Counter n={run.imported} />
      <Counter n={run.partiallyImported} />
      <Counter n={run.skippedDuplicate} />
      <td className="px-2 py-2 text-right tabular-nums">
        <span className={run.failed.total > 0 ? "font-semibold text-red-700" : ""}>{formatCount(run.failed.total)}</span>
        {failures && <div className="whitespace-nowrap text-xs text-slate-500">{failures}</div>}
      </td>
    </tr>
  );
}

/** Every run with the admin-log counters; a row expands into its failed items, unmapped users and files. */
export function RunHistory({ connectorId, live }: { connectorId: string; live: boolean }) {
  const runs = useConnectorRuns(connectorId, { live });
  const [open, setOpen] = useState<string | null>(null);

  if (runs.isPending) return <p className="text-sm text-slate-500" role="status">Loading run history…</p>;
  if (runs.isError && !runs.data) return <Alert tone="error">Could not load the run history: {runs.error.message}</Alert>;
  if (runs.data.length === 0) {
    return (
      <p className="text-sm text-slate-500" data-testid="runs-empty">
        No runs yet. The first scheduled run imports the last day of chats.
      </p>
    );
  }
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-left text-sm" data-testid="run-history">
        <thead className="text-xs text-slate-600">
          <tr>
            <th className="px-2 py-1">
              <span className="sr-only">Details</span>
            </th>
            <th className="px-2 py-1">Start → end</th>
            <th className="px-2 py-1">Trigger</th>
            <th className="px-2 py-1">Outcome</th>
            {COUNTER_HEADERS.map(([short, full]) => (
              <th key={short} className="px-2 py-1 text-right">
                <abbr title={full} className="no-underline">
                  {short}
                </abbr>
                <span className="sr-only"> ({full})</span>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {runs.data.map((run) => (
            <Fragment key={run.id}>
              <RunRow run={run} open={open === run.id} onToggle={() => setOpen((o) => (o === run.id ? null : run.id))} />
              {open === run.id && (
                <tr id={`run-detail-${run.id}`}>
                  <td colSpan={4 + COUNTER_HEADERS.length} className="bg-slate-50 px-2 py-3">
                    <RunDetailPanel runId={run.id} />
                  </td>
                </tr>
              )}
            </Fragment>
          ))}
        </tbody>
      </table>
    </div>
  );
}
