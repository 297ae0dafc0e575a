"use client";

import { useQuery } from "@tanstack/react-query";
import { apiFetch } from "@/components/query/api-fetch";
import type { RunView } from "@/components/query/connector-views";
import { dashboardKeys } from "@/components/query/dashboard-keys";
import { ACTIVE_RUN_POLL_MS } from "@/components/query/use-connector";

const IDLE_POLL_MS = 30_000;

/**
 * A connector's run history, newest first. Polls fast while the connector has an active
 * run, and also while its own last answer still shows one: the connector may report the
 * run finished a moment before this list does, and the list must not freeze on "Running".
 */
export function useConnectorRuns(connectorId: string, { live }: { live: boolean }) {
  return useQuery({
    queryKey: dashboardKeys.runs(connectorId),
    queryFn: ({ signal }) =>
      apiFetch<{ runs: RunView[] }>(`/api/v1/connectors/${encodeURIComponent(connectorId)}/runs?limit=50`, { signal }).then((r) => r.runs),
    refetchInterval: (query) => {
      const showsActive = (query.state.data ?? []).some((r) => r.status === "QUEUED" || r.status === "RUNNING");
      return live || showsActive ? ACTIVE_RUN_POLL_MS : IDLE_POLL_MS;
    },
  });
}
