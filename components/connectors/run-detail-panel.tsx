"use client";

import type { ReactNode } from "react";
import { formatBytesShort, formatCount, formatUtcMinute } from "@/components/connectors/format";
import type { FailureReason, RunDetailView } from "@/components/query/connector-views";
import { useRunDetail } from "@/components/query/use-run-detail";
import { Alert } from "@/components/ui/alert";
import { buttonClass } from "@/components/ui/button";

const REASON_LABELS: Record<FailureReason, string> = {
  USER_MAPPING: "User mapping",
  ITEM_TOO_LARGE: "Item too large",
  DESTINATION_ERROR: "Destination error",
  SOURCE_ERROR: "Source error",
};

function SubTable({ title, testId, headers, empty, children, note }: { title: string; testId: string; headers: string[]; empty: boolean; children: ReactNode; note?: string }) {
  return (
    <div data-testid={testId}>
      <h4 className="mb-1 text-sm font-semibold">{title}</h4>
      {empty ? (
        <p className="text-sm text-slate-500">None.</p>
      ) : (
        <div className="max-h-72 overflow-auto rounded border border-slate-200 bg-white">
          <table className="w-full text-left text-xs">
            <thead className="sticky top-0 bg-slate-100 text-slate-600">
              <tr>
                {headers.map((h) => (
                  <th key={h} className="px-2 py-1 font-semibold">
                    {h}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>{children}</tbody>
          </table>
        </div>
      )}
      {note && <p className="mt-1 text-xs text-slate-500">{note}</p>}
    </div>
  );
}

const cell = "border-t border-slate-100 px-2 py-1 align-top";

function RunDetailBody({ run }: { run: RunDetailView }) {
  const failedNote = run.failedItemsTotal > run.failedItems.length ? `Showing ${formatCount(run.failedItems.length)} of ${formatCount(run.failedItemsTotal)} failed items; the log has all of them.` : undefined;
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <div className="text-sm">
          {run.message && <p>{run.message}</p>}
          {run.error && <p className="text-red-800">Error: {run.error}</p>}
          {run.windowFrom && (
            <p className="text-xs text-slate-500">
              Window {formatUtcMinute(run.windowFrom)} → {formatUtcMinute(run.windowTo)}
              {run.limitApproved ? " · limit approved" : ""}
              {run.attempts > 1 ? ` · ${run.attempts} attempts` : ""}
            </p>
          )}
        </div>
        <a href={`/api/v1/runs/${encodeURIComponent(run.id)}/log.csv`} download className={buttonClass("secondary")}>
          Download log
        </a>
      </div>
      <SubTable title={`Failed items (${formatCount(run.failedItemsTotal)})`} testId="failed-items" headers={["Item id", "ImId", "Mailbox", "Reason", "Detail"]} empty={run.failedItems.length === 0} note={failedNote}>
        {run.failedItems.map((f, i) => (
          <tr key={`${f.itemId}-${i}`}>
            <td className={`${cell} break-all font-mono`}>{f.itemId}</td>
            <td className={`${cell} font-mono`}>{f.sourceImId ?? "—"}</td>
            <td className={`${cell} break-all`}>{f.mailbox ?? "—"}</td>
            <td className={cell}>{REASON_LABELS[f.reason]}</td>
            <td className={`${cell} break-words`}>{f.detail}</td>
          </tr>
        ))}
      </SubTable>
      <SubTable title={`Unmapped users (${formatCount(run.unmappedParticipants.length)})`} testId="unmapped-users" headers={["ImId", "E-mail in the export", "Reason"]} empty={run.unmappedParticipants.length === 0}>
        {run.unmappedParticipants.map((u) => (
          <tr key={u.imId}>
            <td className={`${cell} font-mono`}>{u.imId}</td>
            <td className={`${cell} break-all`}>{u.email ?? "—"}</td>
            <td className={cell}>{u.reason}</td>
          </tr>
        ))}
      </SubTable>
      <SubTable title={`Partially imported items (${formatCount(run.partialItems.length)})`} testId="partial-items" headers={["Item", "Mailbox", "Note"]} empty={run.partialItems.length === 0}>
        {run.partialItems.map((p, i) => (
          <tr key={`${p.itemKey}-${p.mailbox}-${i}`}>
            <td className={`${cell} break-all font-mono`}>{p.itemKey}</td>
            <td className={`${cell} break-all`}>{p.mailbox}</td>
            <td className={cell}>{p.note}</td>
          </tr>
        ))}
      </SubTable>
      <SubTable title={`Files (${formatCount(run.files.length)})`} testId="run-files" headers={["Path", "Size", "Modified (UTC)", "Status", "Items", "Error"]} empty={run.files.length === 0}>
        {run.files.map((f) => (
          <tr key={`${f.path}-${f.mtime}`}>
            <td className={`${cell} break-all font-mono`}>{f.path}</td>
            <td className={`${cell} whitespace-nowrap`}>{formatBytesShort(f.size)}</td>
            <td className={`${cell} whitespace-nowrap`}>{formatUtcMinute(f.mtime)}</td>
            <td className={`${cell} ${f.status === "FAILED" ? "font-semibold text-red-700" : ""}`}>{f.status.charAt(0) + f.status.slice(1).toLowerCase()}</td>
            <td className={`${cell} text-right tabular-nums`}>{f.itemCount === null ? "—" : formatCount(f.itemCount)}</td>
            <td className={`${cell} break-words`}>{f.error ?? ""}</td>
          </tr>
        ))}
      </SubTable>
    </div>
  );
}

export function RunDetailPanel({ runId }: { runId: string }) {
  const run = useRunDetail(runId);
  if (run.isPending) return <p className="text-sm text-slate-500" role="status">Loading run details…</p>;
  if (run.isError && !run.data) return <Alert tone="error">Could not load the run: {run.error.message}</Alert>;
  return <RunDetailBody run={run.data} />;
}
