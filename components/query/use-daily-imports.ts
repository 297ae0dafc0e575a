"use client";

import { useQuery } from "@tanstack/react-query";
import { apiFetch } from "@/components/query/api-fetch";
import type { DailyImports } from "@/components/query/connector-views";
import { dashboardKeys } from "@/components/query/dashboard-keys";

/** Items imported per UTC day (zero-filled) for the flyout's chart. */
export function useDailyImports(connectorId: string, days = 30) {
  return useQuery({
    queryKey: dashboardKeys.dailyImports(connectorId, days),
    queryFn: ({ signal }) =>
      apiFetch<{ days: DailyImports[] }>(`/api/v1/connectors/${encodeURIComponent(connectorId)}/daily-imports?days=${days}`, { signal }).then((r) => r.days),
    staleTime: 60_000,
  });
}
