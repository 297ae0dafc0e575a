import type { ConnectorStatus, RunStatus } from "@/components/query/connector-views";
import { RUN_STATUS_LABELS } from "@/components/connectors/format";

const CONNECTOR_TONES: Record<ConnectorStatus, string> = {
  Active: "bg-emerald-100 text-emerald-800 ring-emerald-300",
  Paused: "bg-slate-100 text-slate-700 ring-slate-300",
  Running: "bg-sky-100 text-sky-800 ring-sky-300",
  Error: "bg-red-100 text-red-800 ring-red-300",
  "Limit exceeded": "bg-amber-100 text-amber-900 ring-amber-300",
};

const RUN_TONES: Record<RunStatus, string> = {
  QUEUED: "bg-sky-50 text-sky-800 ring-sky-200",
  RUNNING: "bg-sky-100 text-sky-800 ring-sky-300",
  SUCCEEDED: "bg-emerald-100 text-emerald-800 ring-emerald-300",
  PARTIALLY_SUCCEEDED: "bg-amber-100 text-amber-900 ring-amber-300",
  FAILED: "bg-red-100 text-red-800 ring-red-300",
  LIMIT_EXCEEDED: "bg-amber-100 text-amber-900 ring-amber-300",
  CANCELLED: "bg-slate-100 text-slate-700 ring-slate-300",
};

const BASE = "inline-flex items-center gap-1 whitespace-nowrap rounded-full px-2 py-0.5 text-xs font-semibold ring-1 ring-inset";

export function ConnectorStatusBadge({ status }: { status: ConnectorStatus }) {
  return (
    <span className={`${BASE} ${CONNECTOR_TONES[status]}`} data-testid="connector-status">
      {status === "Running" && <span aria-hidden className="h-1.5 w-1.5 animate-pulse rounded-full bg-sky-600" />}
      {status}
    </span>
  );
}

export function RunStatusBadge({ status }: { status: RunStatus }) {
  return <span className={`${BASE} ${RUN_TONES[status]}`}>{RUN_STATUS_LABELS[status]}</span>;
}
