"use client";

import { useQuery } from "@tanstack/react-query";
import { apiFetch } from "@/components/query/api-fetch";
import { isActiveRun, type ConnectorView } from "@/components/query/connector-views";
import { dashboardKeys } from "@/components/query/dashboard-keys";

export const ACTIVE_RUN_POLL_MS = 2_000;

/** One connector for the flyout; polls every 2 s while a run is queued or running. */
export function useConnector(id: string | null) {
  return useQuery({
    queryKey: dashboardKeys.connector(id ?? ""),
    queryFn: ({ signal }) => apiFetch<{ connector: ConnectorView }>(`/api/v1/connectors/${encodeURIComponent(id ?? "")}`, { signal }).then((r) => r.connector),
    enabled: id !== null,
    // Slow polling when idle too: a scheduled run may start while the flyout is open.
    refetchInterval: (query) => (isActiveRun(query.state.data?.activeRun) ? ACTIVE_RUN_POLL_MS : 30_000),
  });
}
