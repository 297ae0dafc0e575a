"use client";

import { useQuery } from "@tanstack/react-query";
import { apiFetch } from "@/components/query/api-fetch";
import type { ConnectorView } from "@/components/query/connector-views";
import { isActiveRun } from "@/components/query/connector-views";
import { dashboardKeys } from "@/components/query/dashboard-keys";

export const LIST_POLL_BUSY_MS = 3_000;
export const LIST_POLL_IDLE_MS = 30_000;

function anyRunning(connectors: ConnectorView[] | undefined): boolean {
  return (connectors ?? []).some((c) => c.status === "Running" || isActiveRun(c.activeRun));
}

/** Every connector, live: polls every 3 s while any of them is running, every 30 s otherwise. */
export function useConnectors() {
  return useQuery({
    queryKey: dashboardKeys.list(),
    queryFn: ({ signal }) => apiFetch<{ connectors: ConnectorView[] }>("/api/v1/connectors", { signal }).then((r) => r.connectors),
    refetchInterval: (query) => (anyRunning(query.state.data) ? LIST_POLL_BUSY_MS : LIST_POLL_IDLE_MS),
  });
}
