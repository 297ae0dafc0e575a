import type { ConnectorStatus, FailedCounters, RunStatus, RunTrigger, RunView } from "@/components/query/connector-views";

// Connector times are shown in UTC everywhere: the schedule is set in UTC and ICE's own
// export timestamps are UTC, so an admin compares like with like.

/** "2026-01-05 10:11 UTC", or "—" for no date. */
export function formatUtcMinute(iso: string | null | undefined): string {
  if (!iso) return "—";
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return "—";
  return `${date.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

/** "2026-01-05" (UTC day) for backfill windows. */
export function formatUtcDay(iso: string | null | undefined): string {
  if (!iso) return "—";
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? "—" : date.toISOString().slice(0, 10);
}

export function formatCount(n: number): string {
  return n.toLocaleString("en-US");
}

export const RUN_STATUS_LABELS: Record<RunStatus, string> = {
  QUEUED: "Queued",
  RUNNING: "Running",
  SUCCEEDED: "Succeeded",
  PARTIALLY_SUCCEEDED: "Partially succeeded",
  FAILED: "Failed",
  LIMIT_EXCEEDED: "Limit exceeded",
  CANCELLED: "Cancelled",
};

export const RUN_TRIGGER_LABELS: Record<RunTrigger, string> = {
  SCHEDULED: "Scheduled",
  MANUAL: "Manual",
  BACKFILL: "Backfill",
};

export const CONNECTOR_STATUSES: readonly ConnectorStatus[] = ["Active", "Paused", "Running", "Error", "Limit exceeded"];

/** The time a run is best described by: when it ended, else started, else was queued. */
export function runTime(run: RunView): string {
  return run.finishedAt ?? run.startedAt ?? run.queuedAt;
}

/** "mapping 2 · too large 1", only the non-zero reasons. */
export function describeFailures(failed: FailedCounters): string {
  const parts: string[] = [];
  if (failed.userMapping) parts.push(`mapping ${formatCount(failed.userMapping)}`);
  if (failed.tooLarge) parts.push(`too large ${formatCount(failed.tooLarge)}`);
  if (failed.destination) parts.push(`destination ${formatCount(failed.destination)}`);
  if (failed.other) parts.push(`other ${formatCount(failed.other)}`);
  return parts.join(" · ");
}

export function formatBytesShort(size: number): string {
  if (size < 1024) return `${size} B`;
  if (size < 1024 * 1024) return `${(size / 1024).toFixed(1)} KB`;
  if (size < 1024 * 1024 * 1024) return `${(size / (1024 * 1024)).toFixed(1)} MB`;
  return `${(size / (1024 * 1024 * 1024)).toFixed(2)} GB`;
}
