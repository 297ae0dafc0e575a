"use client";

import { useId, useMemo, useState } from "react";
import type { ConnectorStatus, ConnectorView } from "@/components/query/connector-views";
import { CONNECTOR_STATUSES, formatCount, formatUtcMinute, runTime } from "@/components/connectors/format";
import { filterConnectors, sortConnectors, type SortKey, type SortState } from "@/components/connectors/sort-connectors";
import { ConnectorStatusBadge, RunStatusBadge } from "@/components/connectors/status-badge";

const COLUMNS: { key: SortKey; label: string }[] = [
  { key: "name", label: "Name" },
  { key: "status", label: "Status" },
  { key: "lastRun", label: "Last run" },
  { key: "imported", label: "Imported last run" },
  { key: "nextRun", label: "Next run (UTC)" },
];

export function ConnectorsEmpty() {
  return (
    <div className="rounded-lg border border-dashed border-slate-300 bg-white p-8 text-center" data-testid="connectors-empty">
      <p className="font-semibold">No connectors yet</p>
      <p className="mt-1 text-sm text-slate-600">Choose ICE Chat above and add a connector to start importing.</p>
    </div>
  );
}

function SortHeader({ column, sort, onSort }: { column: (typeof COLUMNS)[number]; sort: SortState; onSort: (key: SortKey) => void }) {
  const active = sort.key === column.key;
  return (
    <th scope="col" aria-sort={active ? sort.direction : "none"} className="px-4 py-2 font-semibold">
      <button type="button" onClick={() => onSort(column.key)} className="inline-flex items-center gap-1 rounded hover:text-slate-900 focus-visible:ring-2 focus-visible:ring-brand">
        {column.label}
        <span aria-hidden className={active ? "text-slate-900" : "text-slate-300"}>
          {active && sort.direction === "descending" ? "▼" : "▲"}
        </span>
      </button>
    </th>
  );
}

/** The live connector list: sortable by any column, filterable by text and status; a row opens the flyout. */
export function ConnectorTable({ connectors, onSelect }: { connectors: ConnectorView[]; onSelect: (id: string) => void }) {
  const formId = useId();
  const [sort, setSort] = useState<SortState>({ key: "name", direction: "ascending" });
  const [text, setText] = useState("");
  const [status, setStatus] = useState<ConnectorStatus | "">("");
  const rows = useMemo(() => sortConnectors(filterConnectors(connectors, text, status), sort), [connectors, text, status, sort]);

  function onSort(key: SortKey) {
    setSort((s) => (s.key === key ? { key, direction: s.direction === "ascending" ? "descending" : "ascending" } : { key, direction: "ascending" }));
  }

  if (connectors.length === 0) return <ConnectorsEmpty />;

  return (
    <div className="space-y-3">
      <div className="flex flex-wrap items-end gap-3" role="search" aria-label="Filter connectors">
        <div className="text-sm font-medium">
          <label htmlFor={`${formId}-text`}>Filter</label>
          <input
            id={`${formId}-text`}
            type="search"
            value={text}
            onChange={(e) => setText(e.target.value)}
            placeholder="Name, firm code or host"
            className="mt-1 block w-64 rounded border border-slate-300 px-3 py-1.5 font-normal"
          />
        </div>
        <div className="text-sm font-medium">
          <label htmlFor={`${formId}-status`}>Status</label>
          <select
            id={`${formId}-status`}
            value={status}
            onChange={(e) => setStatus(e.target.value as ConnectorStatus | "")}
            className="mt-1 block rounded border border-slate-300 bg-white px-3 py-1.5 font-normal"
          >
            <option value="">All statuses</option>
            {CONNECTOR_STATUSES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </div>
        <p className="pb-2 text-sm text-slate-500" aria-live="polite">
          {rows.length === connectors.length ? `${connectors.length} connector${connectors.length === 1 ? "" : "s"}` : `${rows.length} of ${connectors.length} connectors`}
        </p>
      </div>
      <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
        <table className="w-full text-left text-sm" data-testid="connector-table">
          <thead className="bg-slate-100 text-slate-600">
            <tr>
              {COLUMNS.map((c) => (
                <SortHeader key={c.key} column={c} sort={sort} onSort={onSort} />
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((c) => (
              <tr
                key={c.id}
                data-testid="connector-row"
                data-connector-id={c.id}
                onClick={() => onSelect(c.id)}
                className="cursor-pointer border-t border-slate-200 hover:bg-sky-50"
              >
                <td className="px-4 py-2 font-medium">
                  {/* The button makes the row reachable by keyboard; the row click is a larger target for the mouse. */}
                  <button
                    type="button"
                    onClick={(e) => {
                      e.stopPropagation();
                      onSelect(c.id);
                    }}
                    className="text-left text-brand hover:underline focus-visible:ring-2 focus-visible:ring-brand"
                  >
                    {c.name}
                  </button>
                  <div className="text-xs font-normal text-slate-500">
                    {c.firmCode} · {c.sftpHost}
                  </div>
                </td>
                <td className="px-4 py-2">
                  <ConnectorStatusBadge status={c.status} />
                </td>
                <td className="px-4 py-2">
                  {c.lastRun ? (
                    <div className="flex flex-col items-start gap-0.5">
                      <span>{formatUtcMinute(runTime(c.lastRun))}</span>
                      <RunStatusBadge status={c.lastRun.status} />
                    </div>
                  ) : (
                    <span className="text-slate-500">Never run</span>
                  )}
                </td>
                <td className="px-4 py-2 tabular-nums">{c.lastRun ? formatCount(c.lastRun.imported) : "—"}</td>
                <td className="px-4 py-2">{c.nextRunAt ? formatUtcMinute(c.nextRunAt) : c.state === "paused" ? "Paused" : "—"}</td>
              </tr>
            ))}
            {rows.length === 0 && (
              <tr>
                <td colSpan={COLUMNS.length} className="px-4 py-6 text-center text-slate-500" data-testid="connectors-no-match">
                  No connectors match the filter.
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
    </div>
  );
}
