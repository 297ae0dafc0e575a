"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { apiFetch } from "@/components/query/api-fetch";
import type { RunView } from "@/components/query/connector-views";
import { dashboardKeys } from "@/components/query/dashboard-keys";
import type { StartRunInput } from "@/lib/connectors/api-schemas";

export type { StartRunInput };

export function useStartRun(connectorId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: StartRunInput) =>
      apiFetch<{ run: RunView }>(`/api/v1/connectors/${encodeURIComponent(connectorId)}/runs`, { method: "POST", body: JSON.stringify(input) }).then((r) => r.run),
    // A 409 (a run already in progress) also means the cached state is stale.
    onSettled: () => client.invalidateQueries({ queryKey: dashboardKeys.all() }),
  });
}
