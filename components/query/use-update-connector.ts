"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { apiFetch } from "@/components/query/api-fetch";
import { connectorKeys } from "@/components/query/connector-keys";
import type { ConnectorView } from "@/components/query/connector-views";
import type { ConnectorPatchInput } from "@/components/query/wizard-api-types";

/** PATCH: a secret left out or "" keeps the stored value. */
export function useUpdateConnector(id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: ConnectorPatchInput) =>
      apiFetch<{ connector: ConnectorView }>(`/api/v1/connectors/${encodeURIComponent(id)}`, { method: "PATCH", body: JSON.stringify(input) }).then(
        (r) => r.connector,
      ),
    onSuccess: () => client.invalidateQueries({ queryKey: connectorKeys.all() }),
  });
}
