"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { apiFetch } from "@/components/query/api-fetch";
import { connectorKeys } from "@/components/query/connector-keys";
import type { ConnectorView } from "@/components/query/connector-views";
import type { ConnectorWriteInput } from "@/components/query/wizard-api-types";

export function useCreateConnector() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: ConnectorWriteInput) =>
      apiFetch<{ connector: ConnectorView }>("/api/v1/connectors", { method: "POST", body: JSON.stringify(input) }).then((r) => r.connector),
    onSuccess: () => client.invalidateQueries({ queryKey: connectorKeys.all() }),
  });
}
