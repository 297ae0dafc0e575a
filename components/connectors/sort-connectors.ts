import type { ConnectorStatus, ConnectorView } from "@/components/query/connector-views";
import { runTime } from "@/components/connectors/format";

export type SortKey = "name" | "status" | "lastRun" | "imported" | "nextRun";
export type SortDirection = "ascending" | "descending";
export interface SortState {
  key: SortKey;
  direction: SortDirection;
}

// Problems first when sorting by status: that is what an admin scans the table for.
const STATUS_ORDER: Record<ConnectorStatus, number> = { Error: 0, "Limit exceeded": 1, Running: 2, Active: 3, Paused: 4 };

function sortValue(c: ConnectorView, key: SortKey): string | number | null {
  switch (key) {
    case "name":
      return c.name.toLocaleLowerCase();
    case "status":
      return STATUS_ORDER[c.status];
    case "lastRun":
      return c.lastRun ? Date.parse(runTime(c.lastRun)) : null;
    case "imported":
      return c.lastRun ? c.lastRun.imported : null;
    case "nextRun":
      return c.nextRunAt ? Date.parse(c.nextRunAt) : null;
  }
}

/** Sorted copy; connectors without a value (never run, paused) always go last. Ties keep name order. */
export function sortConnectors(connectors: readonly ConnectorView[], sort: SortState): ConnectorView[] {
  const sign = sort.direction === "ascending" ? 1 : -1;
  return [...connectors].sort((a, b) => {
    const va = sortValue(a, sort.key);
    const vb = sortValue(b, sort.key);
    if (va === null || vb === null) {
      if (va === vb) return a.name.localeCompare(b.name);
      return va === null ? 1 : -1;
    }
    if (va < vb) return -sign;
    if (va > vb) return sign;
    return a.name.localeCompare(b.name);
  });
}

/** Text matches name, firm code or host, case-insensitively; status must match exactly when set. */
export function filterConnectors(connectors: readonly ConnectorView[], text: string, status: ConnectorStatus | ""): ConnectorView[] {
  const needle = text.trim().toLocaleLowerCase();
  return connectors.filter(
    (c) =>
      (status === "" || c.status === status) &&
      (needle === "" || [c.name, c.firmCode, c.sftpHost].some((v) => v.toLocaleLowerCase().includes(needle))),
  );
}
