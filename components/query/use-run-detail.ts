"use client";

import { useQuery } from "@tanstack/react-query";
import { apiFetch } from "@/components/query/api-fetch";
import { isActiveRun, type RunDetailView } from "@/components/query/connector-views";
import { dashboardKeys } from "@/components/query/dashboard-keys";
import { ACTIVE_RUN_POLL_MS } from "@/components/query/use-connector";

/** One run with its failed items, unmapped users, partial items and files. */
export function useRunDetail(runId: string) {
  return useQuery({
    queryKey: dashboardKeys.run(runId),
    queryFn: ({ signal }) => apiFetch<{ run: RunDetailView }>(`/api/v1/runs/${encodeURIComponent(runId)}`, { signal }).then((r) => r.run),
    refetchInterval: (query) => (isActiveRun(query.state.data) ? ACTIVE_RUN_POLL_MS : false),
  });
}
