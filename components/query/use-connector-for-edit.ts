"use client";

import { useQuery } from "@tanstack/react-query";
import { apiFetch } from "@/components/query/api-fetch";
import { connectorKeys } from "@/components/query/connector-keys";
import type { ConnectorView } from "@/components/query/connector-views";

/** The connector the edit wizard starts from; fetched once (no refetch on focus: it would not overwrite the form anyway). */
export function useConnectorForEdit(id: string | undefined) {
  return useQuery({
    queryKey: connectorKeys.forEdit(id ?? ""),
    queryFn: () => apiFetch<{ connector: ConnectorView }>(`/api/v1/connectors/${encodeURIComponent(id ?? "")}`).then((r) => r.connector),
    enabled: id !== undefined,
    refetchOnWindowFocus: false,
    staleTime: Infinity,
  });
}
