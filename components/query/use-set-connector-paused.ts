"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { apiFetch } from "@/components/query/api-fetch";
import type { ConnectorView } from "@/components/query/connector-views";
import { dashboardKeys } from "@/components/query/dashboard-keys";

/** Pauses (true) or resumes (false) a connector's daily schedule. */
export function useSetConnectorPaused(connectorId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (paused: boolean) =>
      apiFetch<{ connector: ConnectorView }>(`/api/v1/connectors/${encodeURIComponent(connectorId)}/${paused ? "pause" : "resume"}`, { method: "POST" }).then(
        (r) => r.connector,
      ),
    onSuccess: (connector) => client.setQueryData(dashboardKeys.connector(connectorId), connector),
    onSettled: () => client.invalidateQueries({ queryKey: dashboardKeys.all() }),
  });
}
