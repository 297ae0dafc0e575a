"use client";

import { useQuery } from "@tanstack/react-query";
import { apiFetch } from "@/components/query/api-fetch";
import type { RunView } from "@/components/query/connector-views";
import { dashboardKeys } from "@/components/query/dashboard-keys";
import { ACTIVE_RUN_POLL_MS } from "@/components/query/use-connector";

/** A connector's run history, newest first; polls while the connector has an active run. */
export function useConnectorRuns(connectorId: string, { live }: { live: boolean }) {
  return useQuery({
    queryKey: dashboardKeys.runs(connectorId),
    queryFn: ({ signal }) =>
      apiFetch<{ runs: RunView[] }>(`/api/v1/connectors/${encodeURIComponent(connectorId)}/runs?limit=50`, { signal }).then((r) => r.runs),
    refetchInterval: live ? ACTIVE_RUN_POLL_MS : false,
  });
}
