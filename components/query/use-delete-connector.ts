"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { apiFetch } from "@/components/query/api-fetch";
import { dashboardKeys } from "@/components/query/dashboard-keys";

/** Deletes a connector; the server checks confirmName against the name, case-sensitively. */
export function useDeleteConnector(connectorId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (confirmName: string) =>
      apiFetch<void>(`/api/v1/connectors/${encodeURIComponent(connectorId)}`, { method: "DELETE", body: JSON.stringify({ confirmName }) }),
    onSuccess: () => {
      client.removeQueries({ queryKey: dashboardKeys.connector(connectorId) });
      return client.invalidateQueries({ queryKey: dashboardKeys.list() });
    },
  });
}
